"""The trainer worker: fine-tunes the active change model on a training set cut from the office's decisions."""
