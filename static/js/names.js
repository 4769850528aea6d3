// What the page calls a tensor, as the graphs' labels do (app/render.py): the snippet's name for it, else the
// source expression that made it (the Run's `expr`, `X @ W`), else the op that made it; never an internal id.

export function nameOf(index, tensor) {
  if (tensor.var) return tensor.var;
  if (tensor.expr) return tensor.expr;
  const op = index.producer.get(tensor.id);
  if (op) return op.module ? `${op.module} → ${op.op}` : `${op.op}(…)`;
  return tensor.requires_grad ? "leaf" : "constant";
}
