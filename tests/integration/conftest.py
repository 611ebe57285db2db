import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The analysis package (one parser for the machine-readable lines) lives in analysis/.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "analysis"))
