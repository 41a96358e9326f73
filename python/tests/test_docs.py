"""The worked example of docs/guides/python.md, run as written."""

import os
import re
import subprocess
import sys


def test_the_guides_example_runs_and_draws_its_plot(root, tmp_path):
    text = (root / "docs" / "guides" / "python.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "the guide has one example"
    # Run from a directory of its own that sees the repository's scenarios.
    os.symlink(root / "scenarios", tmp_path / "scenarios")
    out = subprocess.run([sys.executable, "-c", blocks[0]], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "fewest reassigned with the whole interval within 2 minutes:" in out.stdout
    fewest = int(out.stdout.rsplit(":", 1)[1])
    assert 60 <= fewest <= 140
    png = (tmp_path / "asa-by-reassigned.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
