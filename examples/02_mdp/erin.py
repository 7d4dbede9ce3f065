# Stubs untouched: the release notebook submitted as it is.
# expect: *: NotImplementedError
