// What the page calls a tensor, as the graphs' labels do (app/render.py): the snippet's name for it, else the
// source expression that made it (the Run's `expr`, `X @ W`), else the op that made it; never an internal id.

export function nameOf(index, tensor) {
  if (tensor.var) return tensor.var;
  if (tensor.expr) return tensor.expr;
  const op = index.producer.get(tensor.id);
  if (op) return op.module ? `${op.module} → ${op.op}` : `${op.op}(…)`;
  return tensor.requires_grad ? "leaf" : "constant";
}

// How the code wrote an op that stopped tracking (a cut, an op run under torch.no_grad(), one with no gradient).
const CUT_WRITTEN = { data: ".data", detach: ".detach()", detach_: ".detach_()", tensor: "torch.tensor()", requires_grad_: "requires_grad=False" };
export function cutWritten(op) {
  return op.no_grad ? "torch.no_grad()" : CUT_WRITTEN[op.op] || `${op.op}()`;
}
