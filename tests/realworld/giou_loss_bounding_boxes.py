import torch


def giou_loss(pred, target, eps=1e-7):
    px1, py1, px2, py2 = pred.unbind(-1)
    tx1, ty1, tx2, ty2 = target.unbind(-1)
    inter_w = (torch.min(px2, tx2) - torch.max(px1, tx1)).clamp(min=0)
    inter_h = (torch.min(py2, ty2) - torch.max(py1, ty1)).clamp(min=0)
    inter = inter_w * inter_h
    union = (px2 - px1) * (py2 - py1) + (tx2 - tx1) * (ty2 - ty1) - inter
    iou = inter / (union + eps)
    cw = torch.max(px2, tx2) - torch.min(px1, tx1)
    ch = torch.max(py2, ty2) - torch.min(py1, ty1)
    hull = cw * ch + eps
    giou = iou - (hull - union) / hull
    return (1 - giou).mean(), iou


boxes = torch.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 4.0], [5.0, 5.0, 6.0, 6.0]], requires_grad=True)
gt = torch.tensor([[1.0, 1.0, 3.0, 3.0], [1.0, 1.0, 3.0, 4.0], [0.0, 0.0, 1.0, 1.0]])
loss, iou = giou_loss(boxes, gt)
loss.backward()
print(iou)
print(boxes.grad)
