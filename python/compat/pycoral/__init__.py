"""pycoral over coralpi: the documented pycoral API (https://coral.ai/docs/reference/py/) with
coralpi's tflite_runtime underneath. Importable only with coralpi's python-compat folder on
PYTHONPATH, so it never shadows a real pycoral install."""

__version__ = "2.0.0+coralpi"
