/*
 * The web course in the browser: one page at a time, the contents menu, knowledge checks and
 * reflections. Progress goes through CourseTracking (tracking.js) to the LMS or the browser.
 * Without JavaScript every page shows one after the other, so nothing is ever out of reach.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("course-config").textContent);
  var percentFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });
  var pages = Array.prototype.slice.call(document.querySelectorAll("[data-page]"));
  var tracker = window.CourseTracking.start(config);
  var current = -1;
  var navigatedByLearner = false;

  /** A runtime message in the course's language (web.py's runtime_messages), its %(name)s filled from `values`. */
  function say(key, values) {
    return config.messages[key].replace(/%\((\w+)\)s/g, function (whole, name) { return String(values[name]); });
  }

  function percentText(value) { return percentFormat.format(value / 100); }

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  // ------------------------------------------------------------ pages

  function pageIndexFor(hash) {
    var id = decodeURIComponent((hash || "").replace(/^#/, ""));
    var target = id ? document.getElementById(id) : null;
    var page = target && target.closest ? target.closest("[data-page]") : null;
    return page ? pages.indexOf(page) : -1;
  }

  function titleOf(index) {
    return $("h1", pages[index]).textContent.replace(/\s+/g, " ").trim();
  }

  function show(index, moveFocus) {
    if (index < 0 || index >= pages.length) { index = 0; }
    current = index;
    var module = pages[index].getAttribute("data-module");
    pages.forEach(function (page, i) {
      page.hidden = i !== index;
      // Printing prints the module the learner is in (the cover alone on the cover), not the whole course.
      page.classList.toggle("is-printed", i === index || (module !== null && page.getAttribute("data-module") === module));
    });
    $$("[data-page-link]").forEach(function (link) {
      if (link.getAttribute("data-page-link") === pages[index].id) {
        link.setAttribute("aria-current", "page");
        keepInView(link);
      } else {
        link.removeAttribute("aria-current");
      }
    });
    updatePager(index);
    document.title = titleOf(index) + " · " + config.title;
    tracker.pageShown(index);
    updateProgress();
    closeMenu();
    window.scrollTo(0, 0);
    if (moveFocus) { $("h1", pages[index]).focus({ preventScroll: true }); }
  }

  // The contents list can be longer than the screen: scroll it (not the page) to the current entry.
  function keepInView(link) {
    var menu = document.getElementById("contents");
    var box = menu.getBoundingClientRect();
    var item = link.getBoundingClientRect();
    if (menu.scrollHeight > menu.clientHeight && (item.top < box.top || item.bottom > box.bottom)) {
      menu.scrollTop += item.top - box.top - box.height / 3;
    }
  }

  function updatePager(index) {
    var previous = $("[data-previous]");
    var next = $("[data-next]");
    [[previous, index - 1], [next, index + 1]].forEach(function (pair) {
      var link = pair[0];
      var target = pair[1];
      var exists = target >= 0 && target < pages.length;
      link.hidden = !exists;
      if (exists) {
        link.setAttribute("href", "#" + pages[target].id);
        $("[data-title]", link).textContent = titleOf(target);
      }
    });
  }

  window.addEventListener("hashchange", function () {
    var index = pageIndexFor(window.location.hash);
    if (index >= 0 && index !== current) {
      navigatedByLearner = true;
      show(index, true);
    }
  });

  // ------------------------------------------------------------ progress and the contents menu

  function updateProgress() {
    var summary = tracker.summary();
    var percent = Math.round(100 * summary.pagesSeen / summary.pages);
    $("[data-position]").textContent = say("position", { page: current + 1, pages: pages.length });
    var bar = $("[data-progress-bar]");
    bar.setAttribute("aria-valuenow", String(percent));
    bar.setAttribute("aria-valuetext", say("pagesSeenValue", { seen: summary.pagesSeen, pages: summary.pages }));
    $(".progress__fill", bar).style.width = percent + "%";
    pages.forEach(function (page, i) {
      var link = $('[data-page-link="' + page.id + '"]');
      if (!link) { return; }
      var seen = !!tracker.seen[i];
      link.classList.toggle("is-seen", seen);
      $("[data-seen-label]", link).textContent = seen ? " " + say("seen") : "";
    });
    updateFinish(summary);
    var saving = $("[data-saving]");
    if (saving) {
      saving.textContent = say(summary.saving === "lms" ? "savedToRecord" : "savedInBrowser");
    }
  }

  function updateFinish(summary) {
    var pagesLine = $("[data-finish-pages]");
    if (!pagesLine) { return; }
    pagesLine.textContent = say("pagesLine", { seen: summary.pagesSeen, pages: summary.pages });
    var scoreLine = $("[data-finish-score]");
    if (scoreLine) {
      var scores = { score: percentText(summary.score), mastery: percentText(summary.mastery) };
      scoreLine.textContent = say(summary.score === null ? "scorePending" : "score", scores);
    }
    var status = $("[data-finish-status]");
    status.textContent = say(summary.complete ? "complete" : "incomplete");
    status.classList.toggle("is-complete", summary.complete);
  }

  // The contents panel, and what Tab scrolls to, sit under the masthead, whose height depends on the
  // screen width and changes again when the brand's fonts arrive.
  var masthead = $(".masthead");
  function measureMasthead() {
    document.documentElement.style.setProperty("--masthead-height", masthead.offsetHeight + "px");
  }
  new window.ResizeObserver(measureMasthead).observe(masthead);

  var menuToggle = $("[data-menu-toggle]");
  var menu = document.getElementById("contents");

  function closeMenu() {
    if (menu.classList.contains("is-open")) {
      menu.classList.remove("is-open");
      menuToggle.setAttribute("aria-expanded", "false");
    }
  }

  menuToggle.hidden = false;
  menuToggle.addEventListener("click", function () {
    var open = !menu.classList.contains("is-open");
    menu.classList.toggle("is-open", open);
    menuToggle.setAttribute("aria-expanded", String(open));
    if (open) { $("a", menu).focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("is-open")) {
      closeMenu();
      menuToggle.focus();
    }
  });

  // ------------------------------------------------------------ knowledge checks

  var questionForms = $$("[data-question]");

  function formFor(questionId) {
    return $('[data-question="' + questionId + '"]');
  }

  function showAnswer(form, letters) {
    var question = tracker.question(form.getAttribute("data-question"));
    var right = letters === question.correct;
    $$(".option", form).forEach(function (option) {
      var letter = option.getAttribute("data-letter");
      var chosen = letters.indexOf(letter) >= 0;
      var correct = question.correct.indexOf(letter) >= 0;
      var input = $("input", option);
      input.checked = chosen;
      input.disabled = true;
      option.classList.toggle("is-chosen", chosen);
      option.classList.toggle("is-correct", correct);
      var verdict = $("[data-verdict]", option);
      verdict.hidden = !(chosen || correct);
      verdict.textContent = chosen && correct ? say("chosenRight") : chosen ? say("chosenWrong") : correct ? say("rightAnswer") : "";
      var feedback = $("[data-feedback]", option);
      if (feedback) { feedback.hidden = !(chosen || correct); }
    });
    form.classList.add("is-answered");
    form.classList.toggle("is-right", right);
    $("button[type=submit]", form).hidden = true;
    $("[data-result]", form).textContent = say(right ? "right" : "notQuite");
  }

  function resetQuestion(form) {
    $$(".option", form).forEach(function (option) {
      var input = $("input", option);
      input.checked = false;
      input.disabled = false;
      option.classList.remove("is-chosen", "is-correct");
      $("[data-verdict]", option).hidden = true;
      var feedback = $("[data-feedback]", option);
      if (feedback) { feedback.hidden = true; }
    });
    form.classList.remove("is-answered", "is-right");
    $("button[type=submit]", form).hidden = false;
    $("[data-result]", form).textContent = "";
  }

  function updateQuiz(quiz) {
    var forms = $$("[data-question]", quiz);
    var answered = 0;
    var right = 0;
    forms.forEach(function (form) {
      var question = tracker.question(form.getAttribute("data-question"));
      var answer = tracker.answers[question.id];
      if (answer) {
        answered += 1;
        if (answer === question.correct) { right += 1; }
      }
    });
    var score = $("[data-quiz-score]", quiz);
    var retry = $("[data-quiz-retry]", quiz);
    if (answered < forms.length) {
      score.textContent = "";
      score.classList.remove("is-shown");
      retry.hidden = true;
      return;
    }
    var summary = tracker.summary();
    var share = percentText(Math.round(100 * right / forms.length));
    var text = say("quizResult", { right: right, count: forms.length, percent: share });
    if (summary.score !== null && config.questions.length > forms.length) {
      text += " " + say("courseScore", { score: percentText(summary.score) });
    }
    text += summary.score === null ? "" : " " + (summary.passed ? say("passed") : say("passMark", { mastery: percentText(summary.mastery) }));
    score.textContent = text;
    score.classList.add("is-shown");
    retry.hidden = right === forms.length;
  }

  questionForms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var letters = $$("input:checked", form).map(function (input) { return input.value; }).sort().join("");
      var result = $("[data-result]", form);
      if (!letters) {
        result.textContent = say("chooseFirst");
        result.focus();
        return;
      }
      tracker.answer(form.getAttribute("data-question"), letters);
      showAnswer(form, letters);
      updateQuiz(form.closest("[data-quiz]"));
      updateProgress();
      // The check button is gone now: focus goes to the result, so the learner hears it and carries on from there.
      result.focus();
    });
  });

  $$("[data-quiz]").forEach(function (quiz) {
    $("[data-quiz-retry] button", quiz).addEventListener("click", function () {
      var forms = $$("[data-question]", quiz);
      tracker.clearAnswers(forms.map(function (form) { return form.getAttribute("data-question"); }));
      forms.forEach(resetQuestion);
      updateQuiz(quiz);
      $("input", forms[0]).focus();
    });
  });

  // ------------------------------------------------------------ reflections

  $$("[data-reflection]").forEach(function (box) {
    var id = box.getAttribute("data-reflection");
    var wrapper = box.closest(".reflection");
    var counter = $("[data-counter]", wrapper);
    var saved = $("[data-saved]", wrapper);
    var printed = $("[data-reflection-print]", wrapper);
    var limit = box.maxLength;
    function count() {
      counter.textContent = say("characters", { count: box.value.length, limit: limit });
      printed.textContent = box.value;
    }
    box.addEventListener("input", function () {
      tracker.setReflection(id, box.value, true);
      saved.textContent = "";
      count();
    });
    box.addEventListener("change", function () {
      tracker.setReflection(id, box.value, false);
      saved.textContent = say("saved");
    });
  });

  // ------------------------------------------------------------ start, and restore saved progress

  $("[data-progress]").hidden = false;
  $("[data-pager]").hidden = false;
  measureMasthead();
  var first = pageIndexFor(window.location.hash);
  if ("scrollRestoration" in window.history) { window.history.scrollRestoration = "manual"; }
  // Opening an address with a page in it would scroll to that page's anchor: start at the top instead.
  window.addEventListener("load", function () { window.scrollTo(0, 0); });

  function start() {
    $$("[data-reflection]").forEach(function (box) {
      var text = tracker.reflections[box.getAttribute("data-reflection")];
      if (text && !box.value) { box.value = text; }
      box.dispatchEvent(new Event("input"));
    });
    questionForms.forEach(function (form) {
      var answer = tracker.answers[form.getAttribute("data-question")];
      if (answer) { showAnswer(form, answer); }
    });
    $$("[data-quiz]").forEach(updateQuiz);
    // Back to the bookmark, unless the address names a page or the learner has moved on already.
    var bookmark = config.pages.indexOf(tracker.resumeAt);
    if (!navigatedByLearner && first < 0 && bookmark >= 0 && bookmark !== current) {
      window.history.replaceState(null, "", "#" + pages[bookmark].id);
      show(bookmark, false);
    } else if (current < 0) {
      show(first >= 0 ? first : 0, false);
    } else {
      updateProgress();
    }
  }

  if (!tracker.ready) {
    show(first >= 0 ? first : 0, false); // the LMS is still on its way: let the learner start reading
  }
  tracker.whenReady(start);
}());
