"""MkDocs hook (mkdocs.yml ``hooks:``): the compiled Jinja templates kept between builds, in ``.cache/jinja/``.

Every build compiles the theme's templates and mkdocstrings' (a few hundred) anew, a good part
of a build in which nothing else has to be done again.  Jinja's own ``FileSystemBytecodeCache``
keeps each compiled template under a key of its name and a checksum of its source (and Python's
bytecode version), so an edited or upgraded template is compiled again.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

__all__ = ["bytecode_cache", "on_env"]


def bytecode_cache(config) -> FileSystemBytecodeCache:
    """A bytecode cache in ``.cache/jinja/`` beside mkdocs.yml."""
    folder = Path(config["config_file_path"]).resolve().parent / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def on_env(env, config, files):
    cache = bytecode_cache(config)
    env.bytecode_cache = cache  # the theme's templates
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None:  # the API page's templates, in the handler's environment of its own
        mkdocstrings.get_handler("python").env.bytecode_cache = cache
    return env
