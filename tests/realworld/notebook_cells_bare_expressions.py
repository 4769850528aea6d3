# %% [markdown]
# Exported from a notebook: bare expressions on their own lines print nothing in a script.
# %%
import torch
x = torch.arange(4.0, requires_grad=True)
x
# %%
y = (x ** 2).sum()
y
y.backward()
x.grad
# %%
print("grad:", x.grad)
x.grad.zero_()
z = x.sin().sum(); z.backward(); print(x.grad)
