"""Facilities as Mesa agents: the decision-making units of the service network."""

from __future__ import annotations

import mesa
import numpy as np

from simulation.world import FacilitySpec


class Facility(mesa.Agent):
    """A service facility with capacity, opening months and costs.

    Parameters
    ----------
    model : mesa.Model
        The owning model.
    spec : FacilitySpec
        The world's description of the facility.
    service_ids : tuple of str
        The world's services, giving the order of :attr:`capacity`.

    Attributes
    ----------
    index : int
        Position of the facility in the world (and in results).
    zone : int
        Zone index.
    capacity : ndarray of float, shape (service,)
        Capacity per month by service in the service's unit (visits/month or
        places/month); 0 where the service is not offered.
    offered : ndarray of bool, shape (service,)
        Services the facility offers (even with zero capacity left).
    open_months : ndarray of bool, shape (12,)
        Calendar months in which the facility is open.
    in_network : bool
        False once the facility is closed for good (a network change).
    fixed_cost_eur_per_year, cost_per_visit_eur : float
        Running costs, EUR per year and EUR per unit served.
    served_total : float
        Demand served here since the start of the run, in service units.
    """

    def __init__(self, model: mesa.Model, index: int, spec: FacilitySpec, service_ids) -> None:
        super().__init__(model)
        self.index = index
        self.facility_id = spec.id
        self.name = spec.name
        self.zone = spec.zone
        self.capacity = np.array([spec.capacity.get(s, 0.0) for s in service_ids], dtype=float)
        self.offered = np.array([s in spec.capacity for s in service_ids], dtype=bool)
        self.open_months = np.asarray(spec.open_months, dtype=bool).copy()
        self.in_network = True
        self.fixed_cost_eur_per_year = spec.fixed_cost_eur_per_year
        self.cost_per_visit_eur = spec.cost_per_visit_eur
        self.served_total = 0.0

    def offers(self) -> np.ndarray:
        """Services offered while in the network, shape (service,)."""
        return self.offered & self.in_network

    def available(self, month: int) -> np.ndarray:
        """Whole capacity units available in calendar ``month`` (1-12), shape (service,)."""
        if not (self.in_network and self.open_months[month - 1]):
            return np.zeros_like(self.capacity, dtype=np.int64)
        return np.floor(self.capacity).astype(np.int64)

    def record(self, load: np.ndarray) -> None:
        """Add this month's served demand, shape (service,)."""
        self.served_total += float(load.sum())
