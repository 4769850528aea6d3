class Tagged(torch.Tensor):
    @staticmethod
    def __new__(cls, data, tag=""):
        t = torch.Tensor._make_subclass(cls, data, data.requires_grad)
        t.tag = tag
        return t

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        out = super().__torch_function__(func, types, args, kwargs or {})
        tags = [a.tag for a in args if isinstance(a, Tagged) and getattr(a, "tag", "")]
        if isinstance(out, Tagged):
            out.tag = "+".join(tags) if tags else getattr(out, "tag", "")
        return out

    def __repr__(self, *, tensor_contents=None):
        return f"Tagged[{self.tag}]({self.as_subclass(torch.Tensor).tolist()})"


torch.manual_seed(140)
w = Tagged(torch.randn(3, requires_grad=True), "w")
x = Tagged(torch.tensor([1.0, 2.0, 3.0]), "x")
y = w * x
z = (y + 1).sigmoid()
loss = z.sum()
print(y, z.tag, type(loss).__name__)
loss.backward()
print(type(w.grad).__name__, w.grad.tag if hasattr(w.grad, "tag") else None)
print(w.grad.as_subclass(torch.Tensor))
