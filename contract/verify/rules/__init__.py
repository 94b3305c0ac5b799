"""The rules the findings cite: the table, what each means, and the reference drawn from them."""
