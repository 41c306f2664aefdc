"""Where the tests' data is: the project's own (tests/data, corpus/sample) and ../shared beside the project.

Tests that read ../shared are marked ``@pytest.mark.shared`` (or ``pytestmark = pytest.mark.shared``):
they are skipped, with the reason, when it is absent; every other test stands alone.
"""
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"  # test data copied from the corpus (tests/data/README.md names each file's origin)
SAMPLE = ROOT / "corpus" / "sample"  # the bundled sample (corpus/README.md)
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
DEV = SHARED_CORPUS / "dev"
POOL = SHARED_CORPUS / "pool"
CONGBAO = SHARED_CORPUS / "congbao"
