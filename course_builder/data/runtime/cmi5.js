/*
 * course-builder's cmi5 assignable unit (AU): the launch page of a cmi5 package runs this file.
 *
 * 1. The handshake cmi5 prescribes: read the launch parameters (endpoint, fetch, actor,
 *    registration, activityId), fetch the authorization token once, read LMS.LaunchData from the
 *    State API, read the saved progress (our own state document), and send "initialized".
 * 2. Then it shows the course page in the frame and offers it the SCORM 2004 API (API_1484_11),
 *    which tracking.js already speaks: what the page records becomes xAPI statements.
 *      cmi.location (a page shown)     -> "experienced" (that page, once a session)
 *      cmi.interactions.n.result      -> "answered" (one per question, with the xAPI interaction)
 *      cmi.completion_status completed -> "completed" (once)
 *      cmi.success_status passed/failed -> "passed" (once a registration) or "failed" (once a session)
 *      Terminate                       -> "terminated" (last)
 *    Saved progress (suspend data and bookmark) goes to the State API, so the next launch resumes.
 * 3. In a window of its own, with a returnURL in LMS.LaunchData, the AU offers an exit: the course
 *    page is closed (so it terminates), and once "terminated" has reached the LRS the window goes
 *    to returnURL, back to the LMS, as cmi5 asks of an AU that exits. In the LMS's own frame there
 *    is no such button: the LMS around it is the way back.
 * In Browse and Review launches nothing that judges the learner is sent, as cmi5 requires.
 *
 * Statements are sent in the order they are made, one request at a time, so the LRS stores them in
 * cmi5's order. Plain JavaScript, no dependency; it never throws into the course page.
 */
(function (global) {
  "use strict";

  var XAPI_VERSION = "1.0.3";
  var PROGRESS_STATE = "https://course-builder.invalid/state/progress";
  var VERB = "http://adlnet.gov/expapi/verbs/";
  var CMI5_CATEGORY = { id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" };
  var MOVEON_CATEGORY = { id: "https://w3id.org/xapi/cmi5/context/categories/moveon" };
  var MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction";

  var status = global.document.getElementById("cmi5-status");
  var frame = global.document.getElementById("cmi5-course");
  var exit = global.document.getElementById("cmi5-exit");

  function tell(message) { status.textContent = message; }

  function showCourse() { frame.src = frame.getAttribute("data-src"); }

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) { return global.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // xAPI durations are ISO 8601; two decimals of a second is what cmi5 LMSs are asked to keep.
  function duration(milliseconds) {
    return "PT" + Math.round(milliseconds / 10) / 100 + "S";
  }

  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  // ------------------------------------------------------------ talking to the LRS

  function Lrs(params, token) {
    this.endpoint = params.endpoint.replace(/\/?$/, "/");
    this.params = params;
    this.headers = {
      "Authorization": "Basic " + token,
      "X-Experience-API-Version": XAPI_VERSION,
      "Content-Type": "application/json"
    };
    this.queue = [];
    this.sending = null; // the request under way, if any
  }

  Lrs.prototype.stateUrl = function (stateId) {
    var p = this.params;
    return this.endpoint + "activities/state?stateId=" + encodeURIComponent(stateId) +
      "&activityId=" + encodeURIComponent(p.activityId) + "&agent=" + encodeURIComponent(p.actor) +
      "&registration=" + encodeURIComponent(p.registration);
  };

  Lrs.prototype.getState = function (stateId) {
    return global.fetch(this.stateUrl(stateId), { headers: this.headers }).then(function (response) {
      if (response.status === 404) { return null; }
      if (!response.ok) { throw new Error("the LRS answered " + response.status + " for " + stateId); }
      return response.json();
    });
  };

  Lrs.prototype.putState = function (stateId, document, keepalive) {
    return global.fetch(this.stateUrl(stateId), {
      method: "PUT", headers: this.headers, body: JSON.stringify(document), keepalive: !!keepalive
    });
  };

  // Everything queued goes in one request, after the previous request has finished: the LRS stores
  // statements in the order they are sent. With nothing under way the request starts at once, so the
  // last one, sent while the window closes, leaves before the page is gone.
  Lrs.prototype.flush = function (keepalive) {
    var self = this;
    var batch = this.queue;
    this.queue = [];
    if (!batch.length) { return this.sending || Promise.resolve(); }
    function post() {
      return global.fetch(self.endpoint + "statements", {
        method: "POST", headers: self.headers, body: JSON.stringify(batch), keepalive: !!keepalive
      }).then(function (response) {
        if (!response.ok) { throw new Error("the LRS answered " + response.status); }
      }).catch(function () {
        tell("Your progress could not be sent to the learning platform. Keep this window open and check your connection.");
      });
    }
    var sending = this.sending ? this.sending.then(post) : post();
    this.sending = sending;
    sending.then(function () { if (self.sending === sending) { self.sending = null; } });
    return sending;
  };

  // ------------------------------------------------------------ the session

  function Session(params, lrs, launchData, progress) {
    this.params = params;
    this.lrs = lrs;
    this.actor = JSON.parse(params.actor);
    this.launchData = launchData || {};
    this.mode = this.launchData.launchMode || "Normal";
    this.mastery = typeof this.launchData.masteryScore === "number" ? this.launchData.masteryScore : null;
    this.progress = progress;
    this.values = {};
    this.interactions = 0;
    // cmi5 allows one "completed" and one "passed" per registration, so earlier sessions count too;
    // "failed" at most once a session.
    this.completedSent = !!(progress && progress.completed);
    this.passedSent = !!(progress && progress.passed);
    this.failedSent = false;
    this.experienced = {};
    this.terminated = false;
    this.leaving = false; // the learner chose to exit: after "terminated", go to returnURL
    this.returnURL = typeof this.launchData.returnURL === "string" ? this.launchData.returnURL : "";
    this.started = new Date();
    this.language = global.document.documentElement.lang || "en";
  }

  Session.prototype.statement = function (verb, extra) {
    var context = clone(this.launchData.contextTemplate || {});
    context.registration = this.params.registration;
    var statement = {
      id: uuid(),
      timestamp: new Date().toISOString(),
      actor: this.actor,
      verb: { id: VERB + verb, display: { "en-US": verb } },
      object: { id: this.params.activityId, objectType: "Activity" },
      context: context
    };
    for (var key in extra) { if (Object.prototype.hasOwnProperty.call(extra, key)) { statement[key] = extra[key]; } }
    return statement;
  };

  /** A statement cmi5 defines: it carries the cmi5 category (and moveon for completed/passed/failed). */
  Session.prototype.cmi5Statement = function (verb, result, moveOn) {
    var statement = this.statement(verb, result ? { result: result } : {});
    var activities = statement.context.contextActivities = statement.context.contextActivities || {};
    activities.category = (activities.category || []).concat(moveOn ? [CMI5_CATEGORY, MOVEON_CATEGORY] : [CMI5_CATEGORY]);
    if ((verb === "passed" || verb === "failed") && this.mastery !== null) {
      statement.context.extensions = statement.context.extensions || {};
      statement.context.extensions[MASTERY_EXTENSION] = this.mastery;
    }
    return statement;
  };

  Session.prototype.send = function (statement) { this.lrs.queue.push(statement); };

  Session.prototype.elapsed = function () { return duration(new Date() - this.started); };

  Session.prototype.judges = function () { return this.mode === "Normal"; };

  Session.prototype.score = function () {
    var scaled = parseFloat(this.values["cmi.score.scaled"]);
    if (isNaN(scaled)) { return null; }
    var score = { scaled: scaled };
    var raw = parseFloat(this.values["cmi.score.raw"]);
    if (!isNaN(raw)) { score.raw = raw; score.min = 0; score.max = 100; }
    return score;
  };

  Session.prototype.answered = function (n) {
    var base = "cmi.interactions." + n + ".";
    var v = this.values;
    var definition = {
      type: INTERACTION_TYPE,
      interactionType: v[base + "type"] === "true-false" ? "true-false" : "choice",
      correctResponsesPattern: [v[base + "correct_responses.0.pattern"] || ""]
    };
    if (v[base + "description"]) {
      definition.name = {};
      definition.name[this.language] = v[base + "description"];
    }
    this.send(this.statement("answered", {
      object: {
        id: this.params.activityId + "/question/" + encodeURIComponent(v[base + "id"]),
        objectType: "Activity",
        definition: definition
      },
      result: { response: v[base + "learner_response"] || "", success: v[base + "result"] === "correct" }
    }));
  };

  /** A page the learner saw, as an activity of the AU; not a cmi5-defined statement, so no cmi5 category. */
  Session.prototype.experience = function (page) {
    if (!page || this.experienced[page]) { return; }
    this.experienced[page] = true;
    this.send(this.statement("experienced", {
      object: { id: this.params.activityId + "/page/" + encodeURIComponent(page), objectType: "Activity" }
    }));
  };

  Session.prototype.judge = function (element, value) {
    if (!this.judges()) { return; }
    if (element === "cmi.completion_status" && value === "completed" && !this.completedSent) {
      this.completedSent = true;
      this.send(this.cmi5Statement("completed", { completion: true, duration: this.elapsed() }, true));
    }
    if (element !== "cmi.success_status" || this.passedSent || (value === "failed" && this.failedSent)) { return; }
    if (value !== "passed" && value !== "failed") { return; }
    var result = { success: value === "passed", duration: this.elapsed() };
    var score = this.score();
    if (score) { result.score = score; }
    if (value === "passed") { this.passedSent = true; } else { this.failedSent = true; }
    this.send(this.cmi5Statement(value, result, true));
  };

  Session.prototype.saveProgress = function (keepalive) {
    if (!this.judges()) { return; }
    var document = {
      location: this.values["cmi.location"] || "", data: this.values["cmi.suspend_data"] || "",
      completed: this.completedSent, passed: this.passedSent
    };
    this.lrs.putState(PROGRESS_STATE, document, keepalive).catch(function () {
      tell("Your progress could not be saved on the learning platform. Keep this window open and check your connection.");
    });
  };

  // ------------------------------------------------------------ the SCORM 2004 API the course page uses

  Session.prototype.api = function () {
    var self = this;
    var progress = this.progress || {};
    var initial = {
      "cmi.entry": this.progress ? "resume" : "ab-initio",
      "cmi.location": progress.location || "",
      "cmi.suspend_data": progress.data || "",
      "cmi.mode": this.mode === "Normal" ? "normal" : this.mode === "Browse" ? "browse" : "review",
      "cmi.scaled_passing_score": this.mastery === null ? "" : String(this.mastery),
      "cmi.interactions._count": "0"
    };
    return {
      Initialize: function () { return "true"; },
      GetValue: function (element) {
        if (element === "cmi.interactions._count") { return String(self.interactions); }
        if (Object.prototype.hasOwnProperty.call(self.values, element)) { return self.values[element]; }
        return Object.prototype.hasOwnProperty.call(initial, element) ? initial[element] : "";
      },
      SetValue: function (element, value) {
        if (self.terminated) { return "false"; }
        value = String(value);
        self.values[element] = value;
        var interaction = /^cmi\.interactions\.(\d+)\.result$/.exec(element);
        if (interaction) {
          self.interactions = Math.max(self.interactions, parseInt(interaction[1], 10) + 1);
          if (self.judges()) { self.answered(interaction[1]); }
        }
        if (element === "cmi.location" && self.judges()) { self.experience(value); }
        self.judge(element, value);
        return "true";
      },
      Commit: function () {
        if (self.terminated) { return "false"; }
        self.lrs.flush(false);
        self.saveProgress(false);
        return "true";
      },
      Terminate: function () {
        if (self.terminated) { return "false"; }
        self.terminated = true;
        self.saveProgress(true);
        self.send(self.cmi5Statement("terminated", { duration: self.elapsed() }, false));
        self.lrs.flush(true).then(function () {
          if (self.leaving) { global.location.assign(self.returnURL); }
        });
        return "true";
      },
      GetLastError: function () { return "0"; },
      GetErrorString: function () { return ""; },
      GetDiagnostic: function () { return ""; }
    };
  };

  // ------------------------------------------------------------ the launch

  function launchParameters() {
    var query = new URLSearchParams(global.location.search);
    var names = ["endpoint", "fetch", "actor", "registration", "activityId"];
    var params = {};
    for (var i = 0; i < names.length; i += 1) {
      var value = query.get(names[i]);
      if (!value) { return null; }
      params[names[i]] = value;
    }
    return params;
  }

  // cmi5 allows one token request a launch. Reloading the page unloads the course, which ends the
  // session, so a reloaded launch page asks for a new launch instead of asking for a token again.
  function firstUseOf(fetchUrl) {
    var key = "course-builder/cmi5/fetched/" + fetchUrl;
    try {
      if (global.sessionStorage.getItem(key)) { return false; }
      global.sessionStorage.setItem(key, "1");
    } catch (ignored) { /* storage blocked: the LMS refuses a second request anyway */ }
    return true;
  }

  function fetchToken(url) {
    return global.fetch(url, { method: "POST" }).then(function (response) {
      if (!response.ok) { throw new Error("the LMS refused the token request (" + response.status + ")"); }
      return response.json();
    }).then(function (answer) {
      if (!answer["auth-token"]) { throw new Error(answer["error-text"] || "the LMS gave no token"); }
      return answer["auth-token"];
    });
  }

  // The exit closes the course page: its pagehide ends the SCORM session, which sends "terminated".
  function offerExit(session) {
    if (!session.returnURL || global.top !== global || !exit) { return; }
    exit.hidden = false;
    exit.addEventListener("click", function () {
      exit.disabled = true;
      session.leaving = true;
      // A course page that had not started its SCORM session sends nothing as it goes: end it here
      // (a second Terminate, after the page's own, does nothing).
      frame.addEventListener("load", function () { global.API_1484_11.Terminate(""); }, { once: true });
      frame.src = "about:blank";
    });
  }

  function start() {
    var params = launchParameters();
    if (!params) {
      // Opened outside an LMS: the course runs, and tracking.js keeps progress in this browser.
      tell("This course was not opened from a learning platform, so your progress is kept only in this browser.");
      showCourse();
      return;
    }
    if (!firstUseOf(params.fetch)) {
      tell("This session with the learning platform has ended. To go on, open the course again from the platform.");
      return;
    }
    var lrs;
    var session;
    fetchToken(params.fetch).then(function (token) {
      lrs = new Lrs(params, token);
      return Promise.all([lrs.getState("LMS.LaunchData"), lrs.getState(PROGRESS_STATE)]);
    }).then(function (documents) {
      session = new Session(params, lrs, documents[0], documents[1]);
      session.send(session.cmi5Statement("initialized", null, false));
      return lrs.flush(false);
    }).then(function () {
      global.API_1484_11 = session.api();
      showCourse();
      offerExit(session);
    }).catch(function (error) {
      tell("The course could not start its session with the learning platform (" + error.message +
        "). Close this window and open the course again from the platform.");
    });
  }

  start();
}(window));
