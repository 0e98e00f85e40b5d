# --clv with pinned parameters (data/rfm/clv-params.txt: r 0.25, alpha 4,
# a 0.8, b 2.5; p 6, q 4, gamma 15), weeks, repeat purchases counted in
# days, as of 2024-03-31.  Per customer (x, t_x, T in weeks, m_x):
# A (2, 50/7, 90/7, 27.50); B (0, 0, 81/7, -); C (2, 85/7, 86/7, 10.00),
# whose two lines of 2024-01-05 are one purchase day; D (1, 9/7, 59/7,
# -5.00): its repeat day nets 15 - 20, so its spend is the population
# mean p gamma/(q-1) = 30, as B's; E (1, 1/7, 30/7, 100.00), whose order
# after the as-of date is ignored.
# The expected values were computed independently in Python 3 with
# scipy 1.10: P(alive) = 1/(1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x));
# E[Y(t)] from FHL 2005 eq. 10 with scipy.special.hyp2f1(r+x, b+x,
# a+b+x-1, t/(alpha+T+t)); P(none) = P(alive) ((alpha+T)/(alpha+T+t))^(r+x)
# + 1 - P(alive); E[M] = p (gamma + x m_x)/(p x + q - 1), with x = 0 when
# m_x <= 0; clv = E[M] sum_{k=1..H} (E[Y(k)] - E[Y(k-1)]) / (1+d)^k; each
# printed with the same decimals ("%.6f", "%.4f", "%.2f"): every digit
# agrees.
crm-rfm -q --as-of 2024-03-31 --frequency days \
    --params data/rfm/clv-params.txt data/rfm/clv.csv | cut -d, -f1,9-12,18-
# A horizon of 10 weeks and 1% a week.
crm-rfm -q --as-of 2024-03-31 --frequency days --horizon 10 \
    --discount 0.01 --params data/rfm/clv-params.txt data/rfm/clv.csv |
    cut -d, -f1,18-
# --clv --params FILE --show-params writes the parameters back in the
# model-file format, with 17 digits.
crm-rfm --as-of 2024-03-31 --params data/rfm/clv-params.txt \
    --show-params data/rfm/clv.csv
