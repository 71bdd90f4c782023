"""Pages are compiled once per process: a second app's environment takes the compiled code of
the first (the suite builds an app per test; compiling every page took some 0.9 s), and a
template whose file changed is compiled again, never served from the old code."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from sagwa.web.compiled_templates import CompiledOncePerProcess


class CountingEnvironment(Environment):
    compiled = 0

    def compile(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        CountingEnvironment.compiled += 1
        return super().compile(*args, **kwargs)


def _env(folder: Path, cache: CompiledOncePerProcess) -> Environment:
    return CountingEnvironment(loader=FileSystemLoader(folder), bytecode_cache=cache,
                               autoescape=True)


def test_a_second_environment_uses_the_compiled_code_and_a_changed_file_is_compiled_again(
        tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("안녕하세요, {{ name }}님", encoding="utf-8")
    cache = CompiledOncePerProcess()
    CountingEnvironment.compiled = 0
    assert _env(tmp_path, cache).get_template("page.html").render(name="<민준>") == \
        "안녕하세요, &lt;민준&gt;님"
    assert CountingEnvironment.compiled == 1
    assert _env(tmp_path, cache).get_template("page.html").render(name="서연") == "안녕하세요, 서연님"
    assert CountingEnvironment.compiled == 1  # the second app compiled nothing

    page.write_text("Hello, {{ name }}", encoding="utf-8")
    assert _env(tmp_path, cache).get_template("page.html").render(name="Alex") == "Hello, Alex"
    assert CountingEnvironment.compiled == 2


def test_the_apps_pages_share_the_process_cache() -> None:
    from sagwa.web.compiled_templates import COMPILED
    from sagwa.web.pages.rendering import make_templates

    assert make_templates().env.bytecode_cache is COMPILED
