"""pycoral.utils.dataset: label files."""

__all__ = ["read_label_file"]


def _numbered(line):
    parts = line.split(maxsplit=1)
    return len(parts) == 2 and parts[0].isdigit()


def read_label_file(file_path):
    """{id: label} from a label file. When its first line reads "N label", every line gives its
    own id N; otherwise a line's number (from 0) is its id."""
    with open(file_path, "r", encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines and _numbered(lines[0]):
        pairs = (line.split(maxsplit=1) for line in lines if _numbered(line))
        return {int(n): label.strip() for n, label in pairs}
    return {i: line.strip() for i, line in enumerate(lines)}
