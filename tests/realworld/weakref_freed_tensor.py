import gc
import weakref
a = torch.ones(3, requires_grad=True)
tmp = a * 2
ref = weakref.ref(tmp)
out = tmp.sum()
del tmp
out.backward()
del out
gc.collect()
print("freed:", ref() is None)
