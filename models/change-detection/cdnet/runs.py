"""Where a config's training run keeps its weights and log."""

from pathlib import Path


def run_dir(config: dict, here: Path) -> Path:
    """runs/<run>, where `run` defaults to the model's name: a config that trains another version of the same
    model names its own run so that the two do not overwrite each other's weights."""
    return here / "runs" / config.get("run", config["name"])


def onnx_file(config: dict, here: Path, candidate: bool) -> Path:
    """The exported model: <name>.onnx here for the shipped one, or in the run's folder for a candidate."""
    return (run_dir(config, here) if candidate else here) / f"{config['name']}.onnx"
