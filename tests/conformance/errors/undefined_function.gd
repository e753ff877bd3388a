fn compute_total(x) { return x }
compute_totl(1)
# expect error: compute_totl
# expect error: did you mean 'compute_total'
