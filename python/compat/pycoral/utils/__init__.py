"""pycoral.utils: edgetpu (interpreters and devices) and dataset (label files)."""
