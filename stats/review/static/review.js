// Keyboard shortcuts of the review page: j/k next/previous candidate, a accept,
// r reject (focus the reason; Enter submits), c correct (open the correction form).
"use strict";
(function () {
  const cards = Array.from(document.querySelectorAll("article.candidate"));
  let i = Math.max(0, cards.findIndex((c) => "#" + c.id === location.hash));
  function show(k) {
    if (!cards.length) return;
    i = Math.min(cards.length - 1, Math.max(0, k));
    cards.forEach((c) => c.classList.remove("current"));
    cards[i].classList.add("current");
    cards[i].focus({ preventScroll: true });
    cards[i].scrollIntoView({ block: "nearest" });
  }
  show(i);
  document.addEventListener("keydown", (e) => {
    const tag = e.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) return;
    const card = cards[i];
    if (e.key === "j") show(i + 1);
    else if (e.key === "k") show(i - 1);
    else if (e.key === "a" && card) card.querySelector("form.accept").submit();
    else if (e.key === "r" && card) card.querySelector("form.reject input[name=reason]").focus();
    else if (e.key === "c" && card) {
      const d = card.querySelector("details.correct");
      d.open = true;
      d.querySelector("input[type=text]").focus();
    } else return;
    e.preventDefault();
  });
})();
