"""Reference implementation of the monthly service logic with one ``mesa.Agent`` per person.

Only for benchmarks: it shows what the columnar model saves. Each month every person
agent (activated in random order by ``AgentSet.shuffle_do``) is present or not (seasonal
residents, by their group's presence share), draws its visits per service (Poisson, or
a place with its enrolment probability), picks a channel for each visit with the same
channel probabilities as the columnar model (travel-time elasticities included), and
is served first come, first served: vans up to capacity (else in person), digital and
phone always, in person by the same distance-decay logit among the nearest facilities
with capacity left (enrolment: the nearest by km with capacity). A visit no facility can
take joins its nearest facility's queue of person agents, which is served first next
month; at the month's end the newest beyond ``patience x capacity / days`` balk (the
same waiting rules as :mod:`simulation.queues`: switched to phone, or lost; enrolment
waiting lists keep everyone and are not carried, since places are a stock). No
demography (the comparison uses months 1-11).
"""

from __future__ import annotations

from collections import deque

import mesa
import numpy as np

from simulation import ServiceModel, channels
from simulation.cells import presence_shares
from simulation.channels import IN_PERSON, MOBILE
from simulation.queues import DAYS_PER_MONTH
from simulation.serve import network


class Person(mesa.Agent):
    """One resident or seasonal resident."""

    def __init__(self, model, zone, kind, age, group, car, digital, pref) -> None:
        super().__init__(model)
        self.zone, self.kind, self.age, self.group = zone, kind, age, group
        self.car, self.digital, self.pref = car, digital, pref

    def step(self) -> None:
        m = self.model
        if self.kind == 1 and m.rng.random() >= m.share[self.group]:
            return
        m.present += 1
        for s, service in enumerate(m.services):
            rate = m.rates[s, self.kind, self.age] * m.month_factor[s]
            if rate <= 0:
                continue
            if service.demand_type == "visits":
                mean = rate * m.multiplier[self.group] * m.weekday[self.group]
                for _ in range(m.rng.poisson(mean)):
                    p = m.probs[s][self.zone, self.group, self.car, self.digital, self.pref]
                    m.use(s, self, int(m.rng.choice(p.size, p=p)))
            elif m.rng.random() < rate:
                m.use(s, self, IN_PERSON)


class AgentServiceModel(mesa.Model):
    """The monthly logic of :class:`~simulation.ServiceModel` with person agents.

    Built from a columnar model so that both run the same world, persons and network.
    """

    def __init__(self, columnar: ServiceModel, seed: int) -> None:
        super().__init__(rng=np.random.default_rng(seed))
        self.source = columnar
        self.services = columnar.world.services
        self.rates = np.array([s.rate for s in self.services])
        pop = columnar.population
        n_perm = columnar.cells.n_permanent_groups
        for i in pop.ids():
            kind = int(pop["kind"][i])
            profile = int(pop["profile"][i])
            group = profile if kind == 0 else n_perm + 2 * profile + int(pop["remote"][i])
            Person(
                self,
                int(pop["zone"][i]),
                kind,
                int(pop["age"][i]),
                group,
                int(pop["car"][i]),
                int(pop["digital"][i]),
                int(pop["channel"][i]),
            )
        self.month = 0
        self.totals = np.zeros((len(self.services), 3), dtype=np.int64)  # demand, served, lost
        n_fac = len(columnar.facilities)
        self.queues = [[deque() for _ in self.services] for _ in range(n_fac)]

    def step(self) -> None:
        """One month (1-12 cycling), months 1-11 only in benchmarks."""
        src, world = self.source, self.source.world
        self.month = self.month % 12 + 1
        month = self.month
        params = src.params
        self.share = presence_shares(
            src.cells, world.seasonal.presence, month, params.choice.remote_presence_factor
        )
        self.month_factor = [s.month_factors[month - 1] for s in self.services]
        self.multiplier = src.segment_params["demand"]
        self.weekday = src.segment_params["weekday"][:, month - 1]
        owner = channels.route_owner(src.mobile_routes, month, world.zones.ids, world.service_ids)
        self.owner = owner
        self.van_left = [int(r.capacity_per_month) for r in src.mobile_routes]
        self.net = network(src, month)
        self.probs = []
        for s, service in enumerate(self.services):
            avail = channels.availability(
                service, owner[:, s] >= 0, src.digital_channels.get(service.id)
            )
            factors = channels.distance_factors(
                self.net.nearest(s).reshape(-1, 2),
                params.choice.distance_elasticity,
                params.choice.distance_reference_minutes,
                params.choice.distance_cap_minutes,
            )
            self.probs.append(
                channels.channel_probabilities(
                    avail, src.segment_params["channels"], params.choice.channel_loyalty, factors
                )
            )
        self.left = self.net.capacity.copy()
        self._serve_queues()
        self.present = 0
        self.agents.shuffle_do("step")
        self._balk()

    def _serve_queues(self) -> None:
        """Serve each facility's waiting persons first, oldest first, up to capacity."""
        for f, row in enumerate(self.queues):
            for s, queue in enumerate(row):
                if self.services[s].demand_type != "visits":
                    queue.clear()  # a stock: the waiting persons are in this month's draws
                while queue and self.left[f, s] > 0:
                    queue.popleft()
                    self.left[f, s] -= 1

    def _balk(self) -> None:
        """The newest waiting persons beyond the patience leave: switched or lost."""
        for f, row in enumerate(self.queues):
            for s, queue in enumerate(row):
                rule = self.services[s].waiting
                if rule.keeps_everyone:
                    continue
                room = int(np.floor(rule.patience_days * self.net.capacity[f, s] / DAYS_PER_MONTH))
                while len(queue) > room:
                    queue.pop()
                    if rule.rule != "switch":
                        self.totals[s, 2] += 1

    def use(self, s: int, person: Person, channel: int) -> None:
        """Serve one visit (or place) of ``person`` through ``channel``."""
        self.totals[s, 0] += 1
        if channel == MOBILE:
            r = self.owner[person.zone, s]
            if self.van_left[r] > 0:
                self.van_left[r] -= 1
                self.totals[s, 1] += 1
                return
            channel = IN_PERSON
        if channel != IN_PERSON:
            self.totals[s, 1] += 1
            return
        row = 2 * person.zone + person.car
        f = self._facility(s, row)
        if f >= 0:
            self.left[f, s] -= 1
            self.totals[s, 1] += 1
            return
        by = "minutes" if self.services[s].demand_type == "visits" else "km"
        first = self.net.order(by, s)[row]
        if first.size:
            self.queues[int(first[0])][s].append(person)  # waits at its nearest facility
        else:
            self.totals[s, 2] += 1

    def _facility(self, s: int, row: int) -> int:
        net, params = self.net, self.source.params
        if self.services[s].demand_type != "visits":
            for f in net.order("km", s)[row]:
                if self.left[f, s] > 0:
                    return int(f)
            return -1
        cand = net.order("minutes", s)[row, : params.choice.choice_set]
        cand = cand[self.left[cand, s] > 0]
        if cand.size == 0:
            return -1
        minutes = net.minutes[row, cand]
        w = np.exp(-params.choice.beta_per_minute * (minutes - minutes.min()))
        return int(cand[self.rng.choice(cand.size, p=w / w.sum())])
