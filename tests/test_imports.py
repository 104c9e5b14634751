"""Test modules and conftest files are not libraries: shared helpers live in modules of their
own (tests/support/, tests/harness.py, tests/e2e/helpers.py ...), so no test reaches into
another."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> list[str]:
    """Every module ``path`` imports, by its dotted name."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.append(node.module)
    return names


def test_no_test_module_or_conftest_is_imported() -> None:
    offending = [
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in imported_modules(path)
        if module.startswith("tests.")
        and (module.split(".")[-1].startswith("test_") or module.split(".")[-1] == "conftest")
    ]
    assert offending == []


def test_the_check_sees_such_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.services.test_contacts import incoming\nimport tests.e2e.conftest\n"
    )
    assert imported_modules(sample) == ["tests.services.test_contacts", "tests.e2e.conftest"]
