def show(number):
    """A number as Graphoid prints it: integral floats without a fraction."""
    if type(number) is float and number.is_integer():
        return str(int(number))
    return str(number)


def run(n):
    rows = []
    i = 0
    while i < n:
        price = (i % 1000) / 8
        name = ("item" + str(i)).ljust(12)
        flag = "true" if i % 3 == 0 else "false"
        rows.append(name + "|" + show(price).rjust(8) + "|" + flag + "|" + show(i * 1.5))
        i = i + 1
    return rows[n - 1] + "#" + str(len("\n".join(rows)))
