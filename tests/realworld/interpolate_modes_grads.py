torch.manual_seed(0)
img = torch.randn(1, 2, 4, 5, requires_grad=True)
outs = {}
for mode, kw in [("nearest", {}), ("nearest-exact", {}), ("bilinear", {"align_corners": False}),
                 ("bilinear", {"align_corners": True}), ("bicubic", {"align_corners": False}), ("area", {})]:
    o = F.interpolate(img, size=(7, 3), mode=mode, **kw)
    outs[mode + str(kw.get("align_corners", ""))] = o
aa = F.interpolate(img, scale_factor=0.5, mode="bilinear", antialias=True)
total = sum(o.pow(2).sum() for o in outs.values()) + aa.sum()
total.backward()
print(img.grad.shape, round(total.item(), 4))
vol = torch.randn(1, 1, 2, 3, 3, requires_grad=True)
tri = F.interpolate(vol, scale_factor=(2, 1.5, 1), mode="trilinear", recompute_scale_factor=True)
tri.mean().backward()
print(tri.shape)
