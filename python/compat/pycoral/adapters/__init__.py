"""pycoral.adapters: common, classify, detect and segment over an interpreter's tensors."""
