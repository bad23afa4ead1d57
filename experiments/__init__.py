"""The Hydra layer: configs, the run entry point, results files and reports."""
