// Every string the page shows, in English and Korean. `t(key, values)` fills {name} placeholders.

const STRINGS = {
  en: {
    tagline: "See PyTorch autograd at work",
    examples: "Examples",
    choose_example: "Choose an example…",
    seed_group: "From the tutorial",
    more_group: "More",
    language: "한국어",
    language_label: "한국어로 보기",
    code: "Code",
    run: "Run",
    running: "Running… {s} s",
    run_shortcut: "Ctrl+Enter runs",
    drawing: "Laying out the graphs…",
    done: "{status} · captured in {capture} ms · drawn in {draw} ms",
    status_ok: "Done",
    status_error: "The snippet raised an error",
    status_timeout: "Stopped: it ran too long",
    status_limit: "Stopped at a limit",
    line: "line {line}",
    output: "Printed output",
    no_output: "(nothing printed)",
    forward: "Forward graph",
    backward: "Backward graph",
    forward_label: "Forward graph",
    backward_label: "Backward graph",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    fit: "Fit to screen",
    empty_pane: "Run a snippet to see its graph.",
    empty_forward: "No tensor operations were recorded.",
    empty_backward: "No backward graph: no operation was recorded for backward (it ran under no_grad, or no input requires grad).",
    too_big: "This graph has {n} nodes: more than the {max} the page lays out. Download its DOT or JSON below.",
    layout_failed: "The graph could not be laid out: {message}",
    legend: "Legend",
    legend_leaf: "leaf (requires grad)",
    legend_output: "output / backward root",
    legend_saved: "keeps saved tensors",
    legend_plain: "intermediate",
    legend_cut: "no graph: no_grad, detach or constant (dashed)",
    legend_order: "#n: the order backward ran the node",
    legend_group: "folded: repeated blocks or a module (click to open; a repeat opens ten at a time)",
    unfolding: "Opening the group…",
    folded: "{n} folded groups (lavender): click one to open it",
    permalink: "Permalink",
    copy_link: "Copy link",
    copied: "Copied",
    copy_failed: "Select the address and copy it",
    downloads: "Download",
    json_twin: "JSON",
    html_file: "One HTML file: both graphs, interactive, offline",
    inspector: "Inspector",
    close: "Close",
    tensor: "tensor",
    op: "operation",
    grad_fn: "backward node",
    unnamed: "(unnamed)",
    shape: "shape",
    dtype: "dtype",
    requires_grad: "requires_grad",
    is_leaf: "is_leaf",
    version: "version",
    source_line: "source",
    module: "module",
    value: "value",
    grad: "grad",
    grad_fn_field: "grad_fn",
    order: "ran",
    order_value: "#{n} (pass {pass})",
    never: "never",
    received: "gradient received",
    produced: "gradients sent on",
    what_it_computes: "What it computes",
    no_rule_yet: "No explanation rule covers {name} yet: its gradients are below.",
    check_ok: "matches what PyTorch computed (error {error})",
    check_bad: "this rule does not match what PyTorch computed (error {error})",
    check_none: "not checked: a value it needs was not recorded",
    saved: "saved tensors",
    saved_by: "saved by",
    none: "None",
    first_values: "the first {n} of {total} values; min {min}, max {max}, mean {mean}",
    inputs: "inputs",
    outputs: "outputs",
    note_leaf: "Leaf tensor: backward stores its gradient in .grad.",
    note_nonleaf: "Non-leaf tensor: PyTorch keeps no .grad here; gradwalk captured it for you.",
    note_no_grad: "Created under no_grad: no graph was recorded.",
    note_detach: "Detached: it shares its data with the original but is cut from the graph.",
    note_constant: "Does not require grad: no gradient is computed for it.",
    note_no_backward: "backward() was never called, so no gradient exists yet.",
    note_unreached: "No gradient reached it: the backward pass did not run through it.",
    note_version: "In-place version {n}: an in-place operation changed this tensor.",
    note_accumulate: "AccumulateGrad adds the gradient it receives into the leaf's .grad.",
    note_backward_node: "Runs during backward: takes the gradient of its output and sends one along each edge.",
    note_not_run: "Never ran: no backward pass reached this node.",
    note_op_cut: "Tracking stopped here: its inputs require grad but its output does not.",
    note_op_no_grad: "Ran under no_grad: no backward node was recorded.",
    error_network: "The server could not be reached: {message}",
    bad_run: "This run's data cannot be read: {message}",
    error_server: "The server answered {status}: {detail}",
    retry_after: "Try again in {s} s.",
    not_found: "There is no run {id}: it may have been deleted. Run the code again to make a new one.",
    yes: "yes",
    no: "no",
  },
  ko: {
    tagline: "PyTorch 자동 미분을 눈으로 확인하세요",
    examples: "예제",
    choose_example: "예제를 고르세요…",
    seed_group: "튜토리얼 예제",
    more_group: "더 보기",
    language: "English",
    language_label: "Show in English",
    code: "코드",
    run: "실행",
    running: "실행 중… {s}초",
    run_shortcut: "Ctrl+Enter로 실행",
    drawing: "그래프를 배치하는 중…",
    done: "{status} · 캡처 {capture} ms · 그리기 {draw} ms",
    status_ok: "완료",
    status_error: "코드에서 오류가 발생했습니다",
    status_timeout: "중단됨: 실행 시간이 너무 깁니다",
    status_limit: "중단됨: 한도에 도달했습니다",
    line: "{line}번째 줄",
    output: "출력",
    no_output: "(출력 없음)",
    forward: "순전파 그래프 (Forward graph)",
    backward: "역전파 그래프 (Backward graph)",
    forward_label: "순전파 그래프 (Forward graph)",
    backward_label: "역전파 그래프 (Backward graph)",
    zoom_in: "확대",
    zoom_out: "축소",
    fit: "화면에 맞추기",
    empty_pane: "코드를 실행하면 그래프가 여기에 그려집니다.",
    empty_forward: "기록된 텐서 연산이 없습니다.",
    empty_backward: "역전파 그래프가 없습니다: 역전파용으로 기록된 연산이 없습니다 (no_grad 안에서 실행되었거나 requires_grad인 입력이 없습니다).",
    too_big: "이 그래프의 노드는 {n}개로, 페이지가 배치하는 최대 {max}개를 넘습니다. 아래에서 DOT나 JSON을 받으세요.",
    layout_failed: "그래프를 배치하지 못했습니다: {message}",
    legend: "범례",
    legend_leaf: "리프 (requires_grad)",
    legend_output: "출력 / 역전파 시작점",
    legend_saved: "저장된 텐서를 가진 노드",
    legend_plain: "중간 값",
    legend_cut: "그래프 없음: no_grad, detach, 상수 (점선)",
    legend_order: "#n: 역전파가 노드를 실행한 순서",
    legend_group: "접힌 노드: 반복 블록이나 모듈 (클릭하면 펼침, 반복은 열 개씩)",
    unfolding: "그룹을 펼치는 중…",
    folded: "접힌 그룹 {n}개 (보라색): 클릭하면 펼쳐집니다",
    permalink: "고유 링크",
    copy_link: "링크 복사",
    copied: "복사했습니다",
    copy_failed: "주소를 선택해 복사하세요",
    downloads: "내려받기",
    json_twin: "JSON",
    html_file: "HTML 파일 하나로 저장: 인터넷 없이도 두 그래프를 그대로 살펴볼 수 있습니다",
    inspector: "살펴보기",
    close: "닫기",
    tensor: "텐서",
    op: "연산",
    grad_fn: "역전파 노드",
    unnamed: "(이름 없음)",
    shape: "모양",
    dtype: "자료형",
    requires_grad: "requires_grad",
    is_leaf: "is_leaf",
    version: "버전",
    source_line: "소스",
    module: "모듈",
    value: "값",
    grad: "그래디언트",
    grad_fn_field: "grad_fn",
    order: "실행 순서",
    order_value: "#{n} ({pass}번째 역전파)",
    never: "실행 안 됨",
    received: "받은 그래디언트",
    produced: "보낸 그래디언트",
    what_it_computes: "이 노드가 하는 일",
    no_rule_yet: "{name}에 대한 설명 규칙은 아직 없습니다. 받은 그래디언트와 보낸 그래디언트는 아래에 있습니다.",
    check_ok: "PyTorch가 계산한 값과 같습니다 (오차 {error})",
    check_bad: "이 규칙으로 계산한 값이 PyTorch가 계산한 값과 다릅니다 (오차 {error})",
    check_none: "필요한 값이 기록되지 않아서 검사하지 못했습니다",
    saved: "저장된 텐서",
    saved_by: "저장한 노드",
    none: "None",
    first_values: "전체 {total}개 중 앞의 {n}개; 최소 {min}, 최대 {max}, 평균 {mean}",
    inputs: "입력",
    outputs: "출력",
    note_leaf: "리프 텐서: 역전파가 그래디언트를 .grad에 저장합니다.",
    note_nonleaf: "리프가 아닌 텐서: PyTorch는 여기에 .grad를 남기지 않지만, gradwalk가 대신 기록했습니다.",
    note_no_grad: "no_grad 안에서 만들어짐: 그래프가 기록되지 않았습니다.",
    note_detach: "detach됨: 원래 텐서와 데이터를 공유하지만 그래프에서 분리되었습니다.",
    note_constant: "requires_grad가 False: 이 텐서에 대한 그래디언트는 계산되지 않습니다.",
    note_no_backward: "backward()가 호출되지 않아 아직 그래디언트가 없습니다.",
    note_unreached: "그래디언트가 도달하지 않았습니다: 역전파가 이 텐서를 지나가지 않았습니다.",
    note_version: "제자리(in-place) 버전 {n}: 제자리 연산이 이 텐서를 바꿨습니다.",
    note_accumulate: "AccumulateGrad는 받은 그래디언트를 리프의 .grad에 더합니다.",
    note_backward_node: "역전파 중에 실행됩니다: 출력의 그래디언트를 받아 각 간선으로 그래디언트를 보냅니다.",
    note_not_run: "실행되지 않음: 어떤 역전파도 이 노드에 도달하지 않았습니다.",
    note_op_cut: "여기서 추적이 멈췄습니다: 입력은 requires_grad지만 출력은 아닙니다.",
    note_op_no_grad: "no_grad 안에서 실행됨: 역전파 노드가 기록되지 않았습니다.",
    error_network: "서버에 연결할 수 없습니다: {message}",
    bad_run: "이 실행의 데이터를 읽을 수 없습니다: {message}",
    error_server: "서버 응답 {status}: {detail}",
    retry_after: "{s}초 뒤에 다시 시도하세요.",
    not_found: "{id} 실행 기록이 없습니다: 삭제되었을 수 있습니다. 코드를 다시 실행해 새로 만드세요.",
    yes: "예",
    no: "아니요",
  },
};

const KEY = "gradwalk-lang";
let current = "en";

export function initialLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // storage may be off (private mode, file://): fall back to the browser's language
  }
  if (saved === "en" || saved === "ko") return saved;
  const browser = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return browser.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function setLanguage(lang, remember) {
  current = lang === "ko" ? "ko" : "en";
  document.documentElement.lang = current;
  if (remember) {
    try {
      localStorage.setItem(KEY, current);
    } catch {
      // not remembered, still switched
    }
  }
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  const toggle = document.getElementById("lang"); // (a document with no toggle: embed.js)
  if (toggle) toggle.lang = current === "ko" ? "en" : "ko"; // the button names the other language
}

export function language() {
  return current;
}

export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

export const LANGUAGES = Object.keys(STRINGS);
export { STRINGS };
