/*
 * course-builder tracking: keeps a learner's progress in a SCORM 1.2 or SCORM 2004 (4th edition)
 * LMS, or in this browser's local storage when there is no LMS.
 *
 * Plain JavaScript with no build step and no dependency, written for old embedded LMS players too.
 * It never throws into the page: every LMS call is guarded, and a missing LMS means local storage.
 *
 * What it records: pages seen, the bookmark, quiz answers (each as an interaction), the score and
 * status, reflections, and the session time. Saved state (cmi.suspend_data) is a row of
 * length-prefixed fields, `key=length:value`, so a reflection is stored as typed, without escaping;
 * course_builder/targets/web.py measures the worst case of the same format at build time.
 *
 * This file names no SCORM version's data-model elements: a package also loads scorm12.js or
 * scorm2004.js, which sets window.CourseTrackingLms to its version's names and formats.
 *
 * It tells the learner the truth about their progress in a status message at the top of the page:
 * while it is still looking for the LMS, when it found none (progress stays in this browser only),
 * and when the LMS did not confirm saving it even after a few tries.
 */
(function (global) {
  "use strict";

  var FORMAT = "1";
  // Some LMS players define their API well after the content has loaded (a slow frame, a launch page
  // that first fetches the learner's data): look often at first, then less often, for 10 seconds.
  var LOOK_FOR_API_MS = 10000;
  var LOOK_OFTEN_MS = 3000;
  var SAY_LOOKING_AFTER_MS = 2000;
  var COMMIT_RETRY_DELAYS_MS = [500, 1000, 2000]; // a commit the LMS refuses is tried again this often
  var NOT_JUDGED_MODES = { review: true, browse: true }; // the LMS shows or lets the learner look: record no result
  var SUSPEND_DATA = "cmi.suspend_data"; // the same element in both versions
  var INTERACTION_COUNT = "cmi.interactions._count";


  // ------------------------------------------------------------ finding the LMS's API object

  // The discovery algorithm of the SCORM run-time environment: this window and its parents, then the
  // window that opened this one and its parents. A cross-origin frame cannot be read; skip it.
  function searchUpwards(win, name) {
    for (var hops = 0; win && hops < 500; hops += 1) {
      try {
        if (win[name]) { return win[name]; }
      } catch (ignored) { /* another origin's frame */ }
      var parent = null;
      try { parent = win.parent; } catch (ignored) { parent = null; }
      if (!parent || parent === win) { return null; }
      win = parent;
    }
    return null;
  }

  function findApi(name) {
    var api = searchUpwards(global, name);
    try {
      if (!api && global.opener) { api = searchUpwards(global.opener, name); }
    } catch (ignored) { /* opener of another origin */ }
    try {
      if (!api && global.top && global.top.opener) { api = searchUpwards(global.top.opener, name); }
    } catch (ignored) { /* opener of another origin */ }
    return api;
  }

  // ------------------------------------------------------------ telling the learner where progress goes

  // One role="status" message at the top of the main content, there from the start (empty) so that screen
  // readers announce what it later says. The footer's "saved" line is the course page's (course.js); while
  // saving fails the tracker takes that line over, so the page never claims a save the LMS refused.
  // `messages`: what the notice says, in the course's language (web.py's runtime_messages).
  function Notice(document, messages) {
    this.messages = messages;
    this.element = null;
    this.savingLine = null;
    try {
      var element = document.createElement("p");
      element.setAttribute("role", "status");
      element.className = "tracking-notice";
      var main = document.querySelector("main") || document.body;
      main.insertBefore(element, main.firstChild);
      this.element = element;
    } catch (ignored) { /* a page without a body: nothing to tell */ }
  }

  Notice.prototype.say = function (text) {
    var element = this.element;
    // The same words again would be a new text node, which some screen readers announce every time.
    if (!element || element.textContent === text) { return; }
    element.textContent = text;
    element.style.cssText = text
      ? "margin:0 0 1rem;padding:.75rem 1rem;border-left:.375rem solid #8A6D00;background:#FFF4CE;color:#2B2200;"
      : "";
  };

  Notice.prototype.tell = function (key) { this.say(this.messages[key]); };

  /** While `failing`, the footer's saving line says what the notice says instead of what course.js writes. */
  Notice.prototype.takeSavingLine = function (failing) {
    var document = global.document;
    if (failing && !this.savingLine) {
      this.savingLine = document.querySelector("[data-saving]");
      if (this.savingLine) {
        this.savingLine.removeAttribute("data-saving");
        this.savingLine.textContent = this.messages.notSavedYet;
      }
    } else if (!failing && this.savingLine) {
      this.savingLine.setAttribute("data-saving", "");
      this.savingLine.textContent = this.messages.savedToRecord;
      this.savingLine = null;
    }
  };

  // ------------------------------------------------------------ the two places progress can live

  function LmsStore(api, version) {
    this.api = api;
    this.version = version; // window.CourseTrackingLms
    this.written = {};
    var self = this;
    this.setter = function (element, value) { self.set(element, value); };
    this.getter = function (element) { return self.get(element); };
  }

  LmsStore.prototype.call = function (method, args) {
    try {
      return String(this.api[this.version.calls[method]].apply(this.api, args));
    } catch (ignored) {
      return "";
    }
  };

  LmsStore.prototype.get = function (element) { return this.call("getValue", [element]); };

  LmsStore.prototype.set = function (element, value) {
    value = String(value);
    if (this.written[element] === value) { return true; }
    var ok = this.call("setValue", [element, value]) === "true";
    if (ok) { this.written[element] = value; }
    return ok;
  };

  LmsStore.prototype.commit = function () { return this.call("commit", [""]) === "true"; };

  function LocalStore(key) {
    this.key = key;
  }

  LocalStore.prototype.read = function () {
    try {
      var saved = JSON.parse(global.localStorage.getItem(this.key) || "{}");
      return { location: String(saved.location || ""), data: String(saved.data || "") };
    } catch (ignored) {
      return { location: "", data: "" }; // storage blocked (private mode, some file:// set-ups)
    }
  };

  LocalStore.prototype.write = function (location, data) {
    try {
      global.localStorage.setItem(this.key, JSON.stringify({ location: location, data: data }));
      return true;
    } catch (ignored) {
      return false;
    }
  };

  // ------------------------------------------------------------ saved state: key=length:value fields

  function field(key, value) {
    value = String(value);
    return key + "=" + value.length + ":" + value;
  }

  function readFields(text) {
    var fields = {};
    var at = 0;
    while (at < text.length) {
      var equals = text.indexOf("=", at);
      var colon = text.indexOf(":", equals);
      if (equals < 0 || colon < 0) { break; }
      var length = parseInt(text.slice(equals + 1, colon), 10);
      if (isNaN(length) || length < 0) { break; }
      fields[text.slice(at, equals)] = text.substr(colon + 1, length);
      at = colon + 1 + length;
    }
    return fields;
  }

  // ------------------------------------------------------------ the tracker

  function Tracker(config) {
    this.config = config;
    this.seen = {};
    this.answers = {};
    this.reflections = {};
    this.score = null; // percent of the last attempt at every question, kept while the learner retries
    this.location = "";
    this.resumeAt = "";
    this.store = null;
    this.local = null;
    this.lmsMastery = null;
    this.judged = true; // false when the LMS launched the SCO for review or browsing
    this.notice = null;
    this.commitRetries = 0;
    this.commitTimer = null;
    this.commitFailing = false;
    this.earlyAnswers = []; // answered while the LMS was still being looked for: recorded once it is found
    this.ready = false;
    this.finished = false;
    this.closed = false; // after finish: the browser still fires visibilitychange, and the LMS session is over
    this.started = new Date();
    this.interactionCount = 0;
    this.readyCallbacks = [];
    this.saveTimer = null;
  }

  Tracker.prototype.connect = function () {
    var self = this;
    var version = global.CourseTrackingLms;
    if (this.config.lms === "none" || !version) { this.useLocal(); return; }
    this.notice = new Notice(global.document, this.config.messages);
    var started = new Date().getTime();
    (function look() {
      var api = findApi(version.api);
      var waited = new Date().getTime() - started;
      if (api) {
        self.notice.say("");
        self.useLms(api, version);
      } else if (waited >= LOOK_FOR_API_MS) {
        self.notice.tell("browserOnly");
        self.useLocal();
      } else {
        if (waited >= SAY_LOOKING_AFTER_MS) { self.notice.tell("looking"); }
        global.setTimeout(look, waited < LOOK_OFTEN_MS ? 100 : 250);
      }
    }());
  };

  Tracker.prototype.useLms = function (api, version) {
    var store = new LmsStore(api, version);
    if (store.call("initialize", [""]) !== "true") {
      this.notice.tell("browserOnly");
      this.useLocal();
      return;
    }
    this.store = store;
    var elements = version.elements;
    // Review (a finished attempt) and browse (a look without credit): the LMS sets the status, not the course.
    this.judged = !NOT_JUDGED_MODES[store.get(elements.mode)];
    this.lmsMastery = version.masteryPercent(store.getter);
    if (store.get(elements.entry) !== "ab-initio") { this.restore(store.get(SUSPEND_DATA), store.get(elements.location)); }
    var count = parseInt(store.get(INTERACTION_COUNT), 10);
    this.interactionCount = isNaN(count) ? 0 : count;
    for (var i = 0; this.judged && i < this.earlyAnswers.length; i += 1) {
      this.recordInteraction(this.earlyAnswers[i].question, this.earlyAnswers[i].letters);
    }
    this.earlyAnswers = [];
    this.becomeReady();
    this.save(true);
  };

  Tracker.prototype.useLocal = function () {
    this.local = new LocalStore(this.config.storageKey);
    var saved = this.local.read();
    this.restore(saved.data, saved.location);
    this.becomeReady();
    this.save(false);
  };

  Tracker.prototype.restore = function (data, location) {
    var fields = readFields(data || "");
    var config = this.config;
    var i;
    this.resumeAt = location || "";
    if (fields.v !== FORMAT) { return; }
    if (fields.c === config.structure && fields.p) {
      for (i = 0; i < config.pages.length; i += 1) {
        var digit = parseInt(fields.p.charAt(Math.floor(i / 4)), 16);
        if (!isNaN(digit) && (digit >> (i % 4)) & 1) { this.seen[i] = true; }
      }
    }
    for (i = 0; i < config.questions.length; i += 1) {
      var question = config.questions[i];
      var answer = fields["q." + question.id];
      if (answer && !this.answers[question.id] && /^[a-z0-9]+$/.test(answer)) { this.answers[question.id] = answer; }
    }
    for (i = 0; i < config.reflections.length; i += 1) {
      var id = config.reflections[i];
      if (fields["r." + id] && !this.reflections[id]) { this.reflections[id] = fields["r." + id]; }
    }
    var score = parseInt(fields.s, 10);
    if (this.score === null && !isNaN(score)) { this.score = score; }
  };

  Tracker.prototype.becomeReady = function () {
    this.ready = true;
    var self = this;
    global.addEventListener("pagehide", function () { self.finish(); });
    global.document.addEventListener("visibilitychange", function () {
      if (global.document.visibilityState === "hidden") { self.save(true); }
    });
    var callbacks = this.readyCallbacks;
    this.readyCallbacks = [];
    for (var i = 0; i < callbacks.length; i += 1) { this.callSafely(callbacks[i]); }
  };

  Tracker.prototype.callSafely = function (callback) {
    try { callback(this); } catch (error) { global.setTimeout(function () { throw error; }, 0); }
  };

  /** Run `callback(tracker)` once saved progress is known (at once if it already is). */
  Tracker.prototype.whenReady = function (callback) {
    if (this.ready) { this.callSafely(callback); } else { this.readyCallbacks.push(callback); }
  };

  Tracker.prototype.encode = function () {
    var config = this.config;
    var digits = "";
    for (var start = 0; start < config.pages.length; start += 4) {
      var digit = 0;
      for (var bit = 0; bit < 4 && start + bit < config.pages.length; bit += 1) {
        if (this.seen[start + bit]) { digit |= 1 << bit; }
      }
      digits += digit.toString(16);
    }
    var text = field("v", FORMAT) + field("c", config.structure) + field("p", digits);
    if (this.score !== null) { text += field("s", this.score); }
    var i;
    for (i = 0; i < config.questions.length; i += 1) {
      var answer = this.answers[config.questions[i].id];
      if (answer) { text += field("q." + config.questions[i].id, answer); }
    }
    for (i = 0; i < config.reflections.length; i += 1) {
      var reflection = this.reflections[config.reflections[i]];
      if (reflection) { text += field("r." + config.reflections[i], reflection); }
    }
    return text;
  };

  // ------------------------------------------------------------ what the course tells the tracker

  Tracker.prototype.pageShown = function (index) {
    this.seen[index] = true;
    this.location = this.config.pages[index];
    this.save(true);
  };

  Tracker.prototype.answer = function (questionId, letters) {
    var question = this.question(questionId);
    if (!question) { return; }
    this.answers[questionId] = letters;
    if (!this.ready) {
      this.earlyAnswers.push({ question: question, letters: letters });
    } else if (this.store && this.judged) {
      this.recordInteraction(question, letters);
    }
    var result = this.currentScore();
    if (result !== null) { this.score = result; }
    this.save(true);
  };

  Tracker.prototype.clearAnswers = function (questionIds) {
    for (var i = 0; i < questionIds.length; i += 1) { delete this.answers[questionIds[i]]; }
    this.save(true);
  };

  Tracker.prototype.setReflection = function (id, text, typing) {
    if (text) { this.reflections[id] = text; } else { delete this.reflections[id]; }
    if (!typing) { this.save(false); return; }
    // While typing, save to local storage after a pause; the LMS hears of it when the box loses focus.
    if (this.local) {
      var self = this;
      global.clearTimeout(this.saveTimer);
      this.saveTimer = global.setTimeout(function () { self.save(false); }, 600);
    }
  };

  Tracker.prototype.question = function (id) {
    var questions = this.config.questions;
    for (var i = 0; i < questions.length; i += 1) {
      if (questions[i].id === id) { return questions[i]; }
    }
    return null;
  };

  // ------------------------------------------------------------ score, status, summary

  /** Percent correct when every question has an answer, else null. */
  Tracker.prototype.currentScore = function () {
    var questions = this.config.questions;
    if (!questions.length) { return null; }
    var right = 0;
    for (var i = 0; i < questions.length; i += 1) {
      var answer = this.answers[questions[i].id];
      if (!answer) { return null; }
      if (answer === questions[i].correct) { right += 1; }
    }
    return Math.round((100 * right) / questions.length);
  };

  Tracker.prototype.masteryScore = function () {
    return this.lmsMastery !== null ? this.lmsMastery : this.config.masteryScore;
  };

  Tracker.prototype.summary = function () {
    var config = this.config;
    var seen = 0;
    for (var i = 0; i < config.pages.length; i += 1) { if (this.seen[i]) { seen += 1; } }
    var hasQuiz = config.questions.length > 0;
    var passed = hasQuiz && this.score !== null && this.score >= this.masteryScore();
    var pagesDone = seen === config.pages.length;
    var quizDone = !hasQuiz || passed;
    var rule = hasQuiz ? config.completion : "pages";
    var complete = rule === "pages" ? pagesDone : rule === "quiz" ? quizDone : pagesDone && quizDone;
    var units = config.pages.length + (rule === "pages" ? 0 : 1);
    var progress = (seen + (rule !== "pages" && quizDone ? 1 : 0)) / units;
    return {
      pagesSeen: seen, pages: config.pages.length, hasQuiz: hasQuiz, score: this.score,
      mastery: this.masteryScore(), passed: passed, complete: complete,
      progress: complete ? 1 : Math.min(progress, 0.99),
      saving: this.store ? "lms" : this.local ? "browser" : "pending"
    };
  };

  // ------------------------------------------------------------ writing to the LMS

  Tracker.prototype.save = function (commit) {
    if (!this.ready || this.closed) { return; }
    var data = this.encode();
    if (this.local) { this.local.write(this.location, data); return; }
    var store = this.store;
    store.set(SUSPEND_DATA, data);
    if (this.location) { store.set(store.version.elements.location, this.location); }
    // The score goes before the status: an LMS may judge the status by the score it already holds.
    if (this.judged) { store.version.writeResult(store.setter, this.summary()); }
    if (commit) { this.commit(); }
  };

  // A commit the LMS refuses (a lost connection, a busy server) is tried again a few times, waiting longer
  // each time; if it still fails the learner is told, and every later save tries once more.
  Tracker.prototype.commit = function () {
    if (this.store.commit()) {
      global.clearTimeout(this.commitTimer);
      this.commitTimer = null;
      this.commitRetries = 0;
      if (this.commitFailing) {
        this.commitFailing = false;
        this.notice.takeSavingLine(false);
        this.notice.tell("savedAgain");
      }
      return;
    }
    if (this.commitTimer !== null) { return; } // a retry is already on its way
    if (this.commitRetries >= COMMIT_RETRY_DELAYS_MS.length) {
      this.commitFailing = true;
      this.notice.takeSavingLine(true);
      this.notice.tell("notSaved");
      return;
    }
    var self = this;
    this.commitTimer = global.setTimeout(function () {
      self.commitTimer = null;
      self.commitRetries += 1;
      if (!self.closed) { self.commit(); }
    }, COMMIT_RETRY_DELAYS_MS[this.commitRetries]);
  };

  Tracker.prototype.recordInteraction = function (question, letters) {
    var store = this.store;
    var n = parseInt(store.get(INTERACTION_COUNT), 10);
    n = isNaN(n) ? this.interactionCount : Math.max(n, this.interactionCount);
    this.interactionCount = n + 1;
    store.version.writeInteraction(store.setter, n, question, letters);
  };

  /** Save everything, set the session time and exit, and end the LMS session (once). */
  Tracker.prototype.finish = function () {
    if (this.finished || !this.ready) { return; }
    this.finished = true;
    global.clearTimeout(this.saveTimer);
    global.clearTimeout(this.commitTimer);
    this.save(false);
    this.closed = true;
    if (!this.store) { return; }
    var store = this.store;
    store.version.writeExit(store.setter, this.summary().complete, new Date() - this.started);
    store.commit();
    store.call("terminate", [""]);
  };

  global.CourseTracking = {
    /** Start tracking the SCO described by `config` (the page's #course-config JSON). */
    start: function (config) {
      var tracker = new Tracker(config);
      tracker.connect();
      return tracker;
    }
  };
}(window));
