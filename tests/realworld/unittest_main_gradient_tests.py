import io
import sys
import unittest
import torch


class TestGradients(unittest.TestCase):
    def test_linear(self):
        w = torch.tensor([2.0, -1.0], requires_grad=True)
        x = torch.tensor([3.0, 4.0])
        (w @ x).backward()
        torch.testing.assert_close(w.grad, x)

    def test_chain(self):
        x = torch.tensor(0.5, requires_grad=True)
        y = torch.sin(x**2)
        y.backward()
        self.assertAlmostEqual(x.grad.item(), (torch.cos(torch.tensor(0.25)) * 1.0).item(), places=5)

    def test_wrong_on_purpose(self):
        x = torch.tensor(1.0, requires_grad=True)
        (x**3).backward()
        self.assertEqual(x.grad.item(), 2.0)  # a learner's mistake: d/dx x^3 = 3x^2


if __name__ == "__main__":
    stream = io.StringIO()
    runner = unittest.TextTestRunner(stream=stream, verbosity=2)
    result = runner.run(unittest.defaultTestLoader.loadTestsFromTestCase(TestGradients))
    print("ran", result.testsRun, "failures", len(result.failures))
    for test, tb in result.failures:
        print(test.id().split(".")[-1], "->", tb.strip().splitlines()[-1])
    last_x = torch.tensor([1.0, 2.0], requires_grad=True)
    (last_x.exp().sum()).backward()
    print(last_x.grad)
