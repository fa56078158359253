"""MkDocs hook (mkdocs.yml ``hooks:``): the compiled Jinja templates kept between builds, in ``.cache/jinja/``.

Every build compiles the theme's templates and mkdocstrings' (a few hundred) anew, a good part
of a build in which nothing else has to be done again.  Jinja's own ``FileSystemBytecodeCache``
keeps each compiled template under a key of its name and a checksum of its source (and Python's
bytecode version), so an edited or upgraded template is compiled again.  The theme's environment is
made more than once a build (by MkDocs, the search plugin and print-site, each with
``theme.get_env()``), so every environment the theme makes gets the cache; mkdocstrings renders
the API page in an environment of its own, which gets it before any page is rendered.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

__all__ = ["bytecode_cache", "on_config", "on_pre_build"]


def bytecode_cache(config) -> FileSystemBytecodeCache:
    """A bytecode cache in ``.cache/jinja/`` beside mkdocs.yml."""
    folder = Path(config["config_file_path"]).resolve().parent / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def on_config(config):
    cache, make_env = bytecode_cache(config), config.theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = cache
        return env

    config.theme.get_env = get_env
    return config


def on_pre_build(config):
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None:  # the API page's templates, in the handler's environment of its own
        mkdocstrings.get_handler("python").env.bytecode_cache = bytecode_cache(config)
