# SPDX-License-Identifier: MIT
# Pairwise precision, recall and F1 of a clustering against the truth.
# Input lines "cluster|truth", one per record; -v name=NAME -v cand=N
# (candidate pairs) -v bar=F1 (print ok/FAIL against it when given).
BEGIN { FS = "|" }
{ c[$1]++; t[$2]++; ct[$1 "|" $2]++; n++ }
END {
	for (k in c) found += c[k] * (c[k] - 1) / 2
	for (k in t) truth += t[k] * (t[k] - 1) / 2
	for (k in ct) tp += ct[k] * (ct[k] - 1) / 2
	p = found ? tp / found : 1
	r = truth ? tp / truth : 1
	f = p + r ? 2 * p * r / (p + r) : 0
	printf "%s: %d records, %d candidate pairs, %d true pairs, %d found, %d right: P %.4f R %.4f F1 %.4f\n", name, n, cand, truth, found, tp, p, r, f
	if (bar != "")
		print (f >= bar ? "ok" : "FAIL") ": " name " F1 >= " bar
}
