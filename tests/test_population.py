import numpy as np
import pytest

from simulation.errors import PopulationError
from simulation.population import COLUMNS, Population, count_by


def test_add_extends_every_column_and_grows_capacity():
    pop = Population(capacity=2)
    ids = pop.add(5, age=np.arange(5), zone=1)
    assert pop.size == 5 and ids.tolist() == [0, 1, 2, 3, 4]
    for col in COLUMNS:
        assert pop[col.name].shape == (5,)
    assert pop["zone"].tolist() == [1] * 5
    assert pop["household"].tolist() == [-1] * 5


def test_remove_then_compact_keeps_order_of_survivors():
    pop = Population()
    pop.add(4, age=[10, 20, 30, 40])
    pop.remove(np.array([1, 2]))
    assert pop.size == 2 and pop.rows == 4
    pop.compact()
    assert pop.rows == 2 and pop["age"].tolist() == [10, 40]
    assert pop.active.all()


def test_remove_twice_is_an_error():
    pop = Population()
    pop.add(2)
    pop.remove(np.array([0]))
    with pytest.raises(PopulationError, match="already inactive"):
        pop.remove(np.array([0]))


def test_unknown_column_and_overflow_are_named():
    pop = Population()
    with pytest.raises(PopulationError, match="unknown columns"):
        pop.add(1, height=[180])
    with pytest.raises(PopulationError, match="'age'"):
        pop.add(1, age=[300])


def test_count_by_with_weights():
    assert count_by(np.array([1, 1, 3]), 4, weights=np.array([1.0, 2.0, 5.0])).tolist() == [
        0.0,
        3.0,
        0.0,
        5.0,
    ]
