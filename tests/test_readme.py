"""The Python example in README.md runs and gives real answers."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from geoaccess.exceptions import GeoAccessWarning

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs(data_dir):
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, "README.md has no python example"
    ns: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeoAccessWarning)  # data notes on the shared data
        for code in blocks:
            exec(compile(code, "README.md", "exec"), ns)
    desa = ns["desa"]
    assert len(desa) == 254
    assert desa["travel_time_min"].between(0, 360).all()
    assert desa["facility_id"].notna().all()


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    cmds = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    assert "geoaccess demo" in cmds[0]
    assert "pytest" in cmds[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert cmds[1].strip() in ci  # CI runs the README's test command
