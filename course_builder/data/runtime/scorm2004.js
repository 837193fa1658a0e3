/*
 * SCORM 2004 (4th edition) for course-builder tracking (tracking.js): the API's method names, where
 * the 2004 data model keeps each thing, and the 2004 formats. A SCORM 2004 package carries this file
 * and not the 1.2 one, so nothing in it names an element of the other version.
 */
(function (global) {
  "use strict";

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) { text = "0" + text; }
    return text;
  }

  // timeinterval (second,10,2): an ISO 8601 duration
  function duration(milliseconds) {
    var centiseconds = Math.round(milliseconds / 10);
    var hours = Math.floor(centiseconds / 360000);
    var minutes = Math.floor(centiseconds / 6000) % 60;
    return "PT" + hours + "H" + minutes + "M" + (centiseconds % 6000) / 100 + "S";
  }

  // time (second,10,0): local date and time without a zone
  function timestamp(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) + "T" +
      pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  // A choice is its option ids, "id[,]id"; true/false is "true" or "false".
  function response(question, letters) {
    var parts = [];
    for (var i = 0; i < letters.length; i += 1) {
      var index = question.letters.indexOf(letters.charAt(i));
      if (question.type === "true-false") { return question.values[index] === "true" ? "true" : "false"; }
      parts.push(question.optionIds[index]);
    }
    return parts.join("[,]");
  }

  global.CourseTrackingLms = {
    api: "API_1484_11",
    calls: { initialize: "Initialize", terminate: "Terminate", getValue: "GetValue", setValue: "SetValue", commit: "Commit" },
    elements: { entry: "cmi.entry", location: "cmi.location", mode: "cmi.mode" },

    /** The pass mark in percent, if the LMS has one (from the manifest's imsss:minNormalizedMeasure). */
    masteryPercent: function (get) {
      var value = parseFloat(get("cmi.scaled_passing_score"));
      return isNaN(value) ? null : value * 100;
    },

    // Completion and success apart: completed/incomplete by the course's rule, passed/failed by the score.
    writeResult: function (set, summary) {
      if (summary.score !== null) {
        set("cmi.score.min", "0");
        set("cmi.score.max", "100");
        set("cmi.score.raw", String(summary.score));
        set("cmi.score.scaled", String(summary.score / 100));
      }
      set("cmi.progress_measure", String(Math.round(summary.progress * 100) / 100));
      set("cmi.completion_status", summary.complete ? "completed" : "incomplete");
      set("cmi.success_status", summary.score === null ? "unknown" : summary.passed ? "passed" : "failed");
    },

    writeInteraction: function (set, n, question, letters) {
      var base = "cmi.interactions." + n + ".";
      set(base + "id", question.id);
      set(base + "type", question.type);
      if (question.objective) { set(base + "objectives.0.id", question.objective); }
      set(base + "timestamp", timestamp(new Date()));
      if (question.description) { set(base + "description", question.description); }
      set(base + "weighting", "1");
      set(base + "learner_response", response(question, letters));
      set(base + "correct_responses.0.pattern", response(question, question.correct));
      set(base + "result", letters === question.correct ? "correct" : "incorrect");
    },

    // Leaving before the end is "suspend", so the LMS hands the saved state back on the next launch.
    writeExit: function (set, complete, milliseconds) {
      set("cmi.exit", complete ? "normal" : "suspend");
      set("cmi.session_time", duration(milliseconds));
    }
  };
}(window));
