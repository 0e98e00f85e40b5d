#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Makes alive.csv (orders simulated from BG/NBD) and prints the reference
# figures that tests/unit/test_churnfeat.c checks crm_churnfeat_alive
# against.  Independent of the C code: the BG/NBD log-likelihood is written
# out with scipy.special and maximised with scipy.optimize (BFGS, then
# Nelder-Mead), P(alive) and
# P(no purchase in H days) are computed twice, from the closed forms and by
# integrating the posterior over lambda and p numerically.
#   usage: alive-ref.py gen > alive.csv ; alive-ref.py ref < alive.csv
import sys
import datetime as dt
import numpy as np
from scipy import integrate, optimize, special, stats

AS_OF = dt.date(2025, 1, 1)
H = 90
SEED = 3


def gen():
    rng = np.random.default_rng(SEED)
    r, alpha, a, b = 0.6, 8.0, 0.8, 2.5
    print("customer_id,order_date,amount")
    start = dt.date(2024, 1, 1)
    rows = []
    for i in range(60):
        first = rng.integers(0, 56)
        lam = rng.gamma(r, 1 / alpha)          # purchases per week
        p = rng.beta(a, b)
        t, times = 0.0, [0.0]
        end = ((AS_OF - start).days - 1 - first) / 7
        while True:
            if rng.random() < p:
                break
            t += rng.exponential(1 / lam)
            if t > end:
                break
            times.append(t)
        for t in times:
            d = start + dt.timedelta(days=int(first + round(t * 7)))
            rows.append(("A%02d" % i, d, rng.integers(500, 5000) / 100))
    # Hand-made: a gap below the floor of 7 days, and a one-time buyer.
    for d in ("2024-12-20", "2024-12-22", "2024-12-24"):
        rows.append(("Z1", dt.date.fromisoformat(d), 10.0))
    rows.append(("Z2", dt.date(2024, 10, 3), 10.0))
    for c, d, m in rows:
        print("%s,%s,%.2f" % (c, d.isoformat(), m))


def summaries():
    days = {}
    for line in sys.stdin.read().splitlines()[1:]:
        c, d, m = line.split(",")
        if float(m) >= 0:
            days.setdefault(c, set()).add(dt.date.fromisoformat(d))
    out = []
    for c in sorted(days):
        ds = sorted(days[c])
        x = len(ds) - 1
        tx = (ds[-1] - ds[0]).days / 7
        T = (AS_OF - ds[0]).days / 7
        out.append((c, x, tx, T))
    return out


def ll(par, s):
    r, alpha, a, b = np.exp(par)
    tot = 0.0
    for c, x, tx, T in s:
        A1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
        A2 = special.betaln(a, b + x) - special.betaln(a, b)
        t1 = A1 + A2 - (r + x) * np.log(alpha + T)
        if x > 0:
            t2 = (A1 + special.betaln(a + 1, b + x - 1) -
                  special.betaln(a, b) - (r + x) * np.log(alpha + tx))
            tot += np.logaddexp(t1, t2)
        else:
            tot += t1
    return -tot


def posterior_none(par, x, tx, T, t):
    # P(no purchase in (T, T+t]) by integrating over lambda and p.
    r, alpha, a, b = par
    glam = stats.gamma(r, scale=1 / alpha).pdf
    bp = stats.beta(a, b).pdf
    lam = lambda s: integrate.quad(lambda l: glam(l) * l ** x *
                                   np.exp(-l * s), 0, np.inf,
                                   epsabs=0, epsrel=1e-12, limit=200)[0]
    pal = integrate.quad(lambda p: bp(p) * (1 - p) ** x, 0, 1,
                         epsabs=0, epsrel=1e-12)[0]
    pdead = integrate.quad(lambda p: bp(p) * p * (1 - p) ** (x - 1), 0, 1,
                           epsabs=0, epsrel=1e-12)[0] if x > 0 else 0
    alive_T = pal * lam(T)
    dead = pdead * lam(tx) if x > 0 else 0
    alive_Tt = pal * lam(T + t)
    return alive_T / (alive_T + dead), (alive_Tt + dead) / (alive_T + dead)


def ref():
    s = summaries()
    best = None
    for start in ([0, 1, 0, 0], [-1, 2, -0.5, 1], [0.5, 0.5, 0.5, 0.5]):
        res = optimize.minimize(ll, start, args=(s,), method="BFGS",
                                options={"gtol": 1e-10})
        if best is None or res.fun < best.fun:
            best = res
    # The likelihood is flat along a and b: BFGS stops early there, so
    # polish with Nelder-Mead to tight tolerances.
    x = best.x
    for i in range(2):
        res = optimize.minimize(ll, x, args=(s,), method="Nelder-Mead",
                                options={"xatol": 1e-13, "fatol": 1e-14,
                                         "maxiter": 100000,
                                         "maxfev": 100000})
        x = res.x
    best = res
    par = np.exp(best.x)
    print("r %.10g alpha %.10g a %.10g b %.10g loglik %.10g n %d" %
          (*par, -best.fun, len(s)))
    r, alpha, a, b = par
    t = H / 7
    for c, x, tx, T in s:
        if x > 0:
            pa = 1 / (1 + a / (b + x - 1) *
                      ((alpha + T) / (alpha + tx)) ** (r + x))
        else:
            pa = 1.0
        pn = pa * ((alpha + T) / (alpha + T + t)) ** (r + x) + 1 - pa
        ia, inone = posterior_none(par, x, tx, T, t)
        print("%s x=%d tx=%.4f T=%.4f p_alive %.10f (integral %.10f) "
              "p_none %.10f (integral %.10f)" %
              (c, x, tx, T, pa, ia, pn, inone))


if __name__ == "__main__":
    gen() if sys.argv[1] == "gen" else ref()
