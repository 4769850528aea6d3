import torch


class Meters(torch.Tensor):
    """Carries a unit through arithmetic, as physics-informed code sometimes does."""

    @staticmethod
    def __new__(cls, data, unit="m"):
        t = torch.as_tensor(data).as_subclass(cls)
        t.unit = unit
        return t

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = super().__torch_function__(func, types, args, kwargs)
        units = [a.unit for a in args if isinstance(a, Meters) and hasattr(a, "unit")]
        if isinstance(out, Meters) and units:
            if func in (torch.mul, torch.Tensor.mul, torch.Tensor.__mul__) and len(units) == 2:
                out.unit = units[0] + "*" + units[1]
            else:
                out.unit = units[0]
        return out

    def __repr__(self):
        return f"Meters({self.tolist()}, unit={getattr(self, 'unit', '?')})"


length = Meters([1.0, 2.0, 3.0]).requires_grad_()
width = Meters([0.5, 0.5, 2.0])
area = length * width
print(area, area.unit)
total = area.sum()
total.backward()
print(type(length.grad).__name__, length.grad)
scaled = (length * 2).detach()
print(scaled.unit, isinstance(scaled, Meters))
