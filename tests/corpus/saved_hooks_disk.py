import os
import tempfile
import uuid

tmp_dir = tempfile.mkdtemp()
def pack_to_disk(tensor):
    name = os.path.join(tmp_dir, str(uuid.uuid4()))
    torch.save(tensor, name)
    return name
def unpack_from_disk(name):
    tensor = torch.load(name, weights_only=True)
    os.remove(name)
    return tensor
x = torch.tensor([0.5, 1.5, 2.5], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_to_disk, unpack_from_disk):
    y = x.pow(2).sin()
y.sum().backward()
print(x.grad)
print(len(os.listdir(tmp_dir)))
