class PositiveOnly(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        out = super().__torch_function__(func, types, args, kwargs or {})
        if func is torch.Tensor.sub and isinstance(out, torch.Tensor) and (out.detach() < 0).any():
            raise ValueError(f"{func.__name__} produced a negative value")
        return out


torch.manual_seed(151)
p = torch.rand(4).as_subclass(PositiveOnly).requires_grad_()
q = p * 2 + 1
loss = q.log().sum()
loss.backward()
print(p.grad.as_subclass(torch.Tensor))
diff = q - 2.5
print(diff)
