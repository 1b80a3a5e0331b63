"""tflite_runtime over coralpi: TensorFlow Lite's Python Interpreter API, run by coralpi's CPU
engine or a Coral Edge TPU. Importable only with this folder on PYTHONPATH (coralpi's build puts
it in <build>/python-compat), so it never shadows a real tflite_runtime install."""

__version__ = "2.5.0.post1+coralpi"  # the tflite_runtime generation pycoral 2.0 was built for
