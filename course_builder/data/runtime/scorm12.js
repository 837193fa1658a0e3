/*
 * SCORM 1.2 for course-builder tracking (tracking.js): the API's method names, where the 1.2 data
 * model keeps each thing, and the 1.2 formats. A SCORM 1.2 package carries this file and not the
 * 2004 one, so nothing in it names an element of the other version.
 */
(function (global) {
  "use strict";

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) { text = "0" + text; }
    return text;
  }

  // CMITimespan: HHHH:MM:SS.SS
  function timespan(milliseconds) {
    var centiseconds = Math.round(milliseconds / 10);
    var hours = Math.min(Math.floor(centiseconds / 360000), 9999);
    var minutes = Math.floor(centiseconds / 6000) % 60;
    var seconds = Math.floor(centiseconds / 100) % 60;
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(centiseconds % 100, 2);
  }

  // CMITime: HH:MM:SS
  function timeOfDay(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  // CMIFeedback: a choice is its option letters, "a,c"; true/false is "t" or "f".
  function response(question, letters) {
    if (question.type === "true-false") {
      return question.values[question.letters.indexOf(letters.charAt(0))] === "true" ? "t" : "f";
    }
    return letters.split("").join(",");
  }

  global.CourseTrackingLms = {
    api: "API",
    calls: { initialize: "LMSInitialize", terminate: "LMSFinish", getValue: "LMSGetValue", setValue: "LMSSetValue", commit: "LMSCommit" },
    elements: { entry: "cmi.core.entry", location: "cmi.core.lesson_location", mode: "cmi.core.lesson_mode" },

    /** The pass mark in percent, if the LMS has one (from the manifest's adlcp:masteryscore). */
    masteryPercent: function (get) {
      var value = parseFloat(get("cmi.student_data.mastery_score"));
      return isNaN(value) ? null : value;
    },

    // One status for everything: passed or failed once every question is answered, else completed or incomplete.
    writeResult: function (set, summary) {
      var status = summary.complete ? "completed" : "incomplete";
      if (summary.score !== null) {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", String(summary.score));
        status = !summary.passed ? "failed" : summary.complete ? "passed" : "incomplete";
      }
      set("cmi.core.lesson_status", status);
    },

    writeInteraction: function (set, n, question, letters) {
      var base = "cmi.interactions." + n + ".";
      set(base + "id", question.id);
      set(base + "type", question.type);
      if (question.objective) { set(base + "objectives.0.id", question.objective); }
      set(base + "time", timeOfDay(new Date()));
      set(base + "weighting", "1");
      set(base + "student_response", response(question, letters));
      set(base + "correct_responses.0.pattern", response(question, question.correct));
      set(base + "result", letters === question.correct ? "correct" : "wrong");
    },

    // Leaving before the end is "suspend", so the LMS hands the saved state back on the next launch.
    writeExit: function (set, complete, milliseconds) {
      set("cmi.core.exit", complete ? "" : "suspend");
      set("cmi.core.session_time", timespan(milliseconds));
    }
  };
}(window));
