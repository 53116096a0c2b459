# The course's calculator in Python, for the tester's peers: add, subtract, multiply, divide
# (1 / 0 raises ZeroDivisionError) and hello.


def add(a, b):
    return a + b


def subtract(a, b):
    return a - b


def multiply(a, b):
    return a * b


def divide(a, b):
    return a / b


def hello(name):
    return "Hello, %s!" % name


FUNCTIONS = (add, subtract, multiply, divide, hello)
