"""The examples: the seed's six, byte for byte as the tutorial gives them, then a few more; checked against
hashes kept here, so the check needs nothing outside the repository and never skips."""

import hashlib
import re

from app.examples import EXAMPLES

from .helpers import SEED_DIR, SEED_FILES

# SHA-256 of the seed's examples as shared with the project (shared/seed/examples).
SEED_SHA256 = {
    "1_scalar.py": "62010739426068436289368128da13039326a392c39673bdd2df3d09c9bfd846",
    "2_vector.py": "4ad147c4f3147cdab0c30551f212ad1b8c9ca961648f163aa783a75dec80dc30",
    "3_no_grad.py": "dae797305f5e31b1d466902cd2ad4ad7652ae6d1aa6b7c0ac1869ae4836dc225",
    "4_detach.py": "19d77d31d9a9b95f4caa3665b908a90596dd015c953cf725b4a002b9fc0a9b19",
    "5_linear_1d.py": "a09dc419c1b7e4abc3d6a358400ff6e6814fd62ff0a90feb1415656157c2589c",
    "6_linear_2d.py": "e64c4d5d7f3b10abbd7906db5231c244bce33dbc3e2001c2abd50641e00fda16",
}


def test_the_seed_examples_are_the_seed_byte_for_byte():
    assert [path.name for path in SEED_FILES] == sorted(SEED_SHA256)
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((SEED_DIR / name).read_bytes()).hexdigest() == digest, name


def test_the_examples_start_with_the_seed_six_in_its_order():
    assert [example.file for example in EXAMPLES[:6]] == sorted(SEED_SHA256)
    assert len(EXAMPLES) > 6 and len({example.id for example in EXAMPLES}) == len(EXAMPLES)
    assert all(example.code.strip() for example in EXAMPLES)


def numbers(text: str) -> set[str]:
    return set(re.findall(r"-?\d+(?:\.\d+)?", text))


def test_each_seed_examples_explanation_gives_the_same_numbers_in_korean_as_in_english():
    """The English explanations said the run's numbers (x.grad = 4 at x = 2, w.grad = -2 and x.grad = -4) and the
    Korean ones, the tutorial's words alone, none: a Korean class read why each gradient is what it is only in the
    steps. The 2D example's say what the tutorial prints (loss 165.65, W.grad, b.grad) and its formula ½ Σ as the
    mean of the code."""
    for example in EXAMPLES[:6]:
        assert numbers(example.about) == numbers(example.about_en), example.id
    said = {example.id: numbers(example.about) for example in EXAMPLES[:6]}
    assert {"4"} <= said["scalar"] and {"2", "4", "6"} <= said["vector"] and {"-2", "-4"} <= said["linear-1d"]
    assert {"165.65", "-73.3", "-97.7", "-122.1", "-24.4", "-8.1", "-16.3"} <= said["linear-2d"]
