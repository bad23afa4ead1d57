"""Tests of the forecasting package."""
