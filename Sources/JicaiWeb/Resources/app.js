// Jicai 集采 — the one script of the site. Every page works without it; it adds sorting and filtering of short
// tables, deadline countdowns, the print button, the form's live check and the import progress refresh.
(function () {
  'use strict';

  // Tables with class "sortable": a click on a heading orders the rows by that column (numbers as numbers).
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (heading, column) {
      heading.addEventListener('click', function () {
        var body = table.tBodies[0];
        var rows = Array.from(body.rows);
        var ascending = heading.dataset.dir !== 'asc';
        heading.dataset.dir = ascending ? 'asc' : 'desc';
        rows.sort(function (a, b) {
          var left = a.cells[column].innerText.trim(), right = b.cells[column].innerText.trim();
          var leftNumber = parseFloat(left.replace(/,/g, '')), rightNumber = parseFloat(right.replace(/,/g, ''));
          var order = (!isNaN(leftNumber) && !isNaN(rightNumber)) ? leftNumber - rightNumber : left.localeCompare(right, 'zh');
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // Inputs with class "filter" hide the rows of their table that do not contain the text.
  document.querySelectorAll('input.filter').forEach(function (filter) {
    filter.addEventListener('input', function () {
      var table = document.getElementById(filter.dataset.table);
      var text = filter.value.toLowerCase();
      Array.from(table.tBodies[0].rows).forEach(function (row) {
        row.style.display = row.innerText.toLowerCase().indexOf(text) >= 0 ? '' : 'none';
      });
    });
  });

  // Countdowns to a deadline (data-deadline in Unix seconds).
  function tick() {
    document.querySelectorAll('.countdown').forEach(function (countdown) {
      var seconds = parseInt(countdown.dataset.deadline, 10) - Math.floor(Date.now() / 1000);
      var out = countdown.querySelector('.left');
      if (!out) {
        out = document.createElement('span');
        out.className = 'left';
        countdown.appendChild(out);
      }
      if (seconds <= 0) { out.textContent = countdown.dataset.over; return; }
      var days = Math.floor(seconds / 86400), hours = Math.floor(seconds % 86400 / 3600);
      var minutes = Math.floor(seconds % 3600 / 60), rest = seconds % 60;
      out.textContent = countdown.dataset.left + (days > 0 ? days + 'd ' : '') + hours + ':' +
        String(minutes).padStart(2, '0') + ':' + String(rest).padStart(2, '0');
    });
  }
  tick();
  setInterval(tick, 1000);

  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });

  // The demand form: after typing stops, the draft is checked on the server (nothing is saved) and the findings
  // are shown above the form.
  var form = document.querySelector('form[data-check]');
  if (form) {
    var timer = null;
    var english = document.documentElement.lang === 'en';
    var box = document.getElementById('live-findings');
    var fields = /^(quantity|brand|explanation|exclusion|exclusionSpec|exclusionReason)\[(.*)\]$/;

    var draft = function () {
      var values = { quantity: {}, brand: {}, explanation: {}, exclusion: {}, exclusionSpec: {}, exclusionReason: {} };
      new FormData(form).forEach(function (value, name) {
        var match = name.match(fields);
        if (match) { values[match[1]][match[2]] = value; }
      });
      var result = { lines: [], explanations: values.explanation, exclusions: {} };
      Object.keys(values.quantity).forEach(function (spec) {
        var text = values.quantity[spec].trim();
        if (text === '') { return; }
        result.lines.push({ specCode: spec, productCode: values.brand[spec] || null, quantity: parseInt(text, 10) || 0 });
      });
      Object.keys(values.exclusion).forEach(function (unit) {
        var text = values.exclusion[unit].trim();
        if (text === '' || text === '0') { return; }
        result.exclusions[unit] = {
          specCode: values.exclusionSpec[unit] || '',
          quantity: parseInt(text, 10) || 0,
          reason: values.exclusionReason[unit] || ''
        };
      });
      return result;
    };

    var show = function (list) {
      box.textContent = '';
      if (!Array.isArray(list)) {
        if (list.error) {
          var error = document.createElement('p');
          error.className = 'flash error';
          error.textContent = english ? list.error.messageEn : list.error.message;
          box.appendChild(error);
        }
        return;
      }
      var blocking = list.filter(function (finding) { return finding.severity === 'blocking'; }).length;
      var head = document.createElement('p');
      head.className = 'flash ' + (blocking > 0 ? 'error' : 'ok');
      head.textContent = (english ? 'Live check (not saved yet): ' : '实时检查（尚未保存）：') + blocking +
        (english ? ' blocking' : '个问题阻止提交');
      box.appendChild(head);
      list.filter(function (finding) { return finding.unitKey; }).forEach(function (finding) {
        var line = document.createElement('div');
        line.className = 'finding ' + finding.severity;
        line.dataset.code = finding.code;
        line.textContent = finding.code + ' ' + (english ? finding.message.en : finding.message.zh);
        box.appendChild(line);
      });
    };

    var check = function () {
      fetch(form.dataset.check, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': form.querySelector('input[name=_csrf]').value },
        body: JSON.stringify(draft())
      }).then(function (response) { return response.json(); }).then(show).catch(function () {});
    };

    // The what-if beside each unit (an estimate from the same rules as the year's assessment), refilled from the
    // server with the same structure the page renders.
    var yuan = function (fen) {
      var negative = fen < 0;
      var abs = Math.abs(fen);
      var text = Math.floor(abs / 100) + '.' + ('0' + (abs % 100)).slice(-2);
      return (negative ? '-' : '') + text;
    };
    var node = function (tag, className, text) {
      var element = document.createElement(tag);
      if (className) { element.className = className; }
      if (text !== undefined) { element.textContent = text; }
      return element;
    };
    var fill = function (box, item) {
      box.textContent = '';
      if (!item) { return; }
      var unit = box.dataset.minimal || '';
      box.appendChild(node('strong', '', english ? 'Estimate (not an assessment): ' : '测算（估算，不是考核结果）：'));
      box.appendChild(node('span', 'whatif-agreed', english
        ? 'agreed volume about ' + item.agreedQuantity + ' ' + unit + ' (reported × ' + item.ratio + ')'
        : '约定采购量约' + item.agreedQuantity + unit + '（报量×' + item.ratio + '）'));
      box.appendChild(document.createTextNode(english ? '; ' : '；'));
      box.appendChild(node('span', 'whatif-monthly', english
        ? 'about ' + item.monthlyQuantity + ' ' + unit + ' a month keeps to the schedule'
        : '按序时进度每月需采购约' + item.monthlyQuantity + unit));
      if (item.retention.length > 0) {
        var parts = item.retention.map(function (range) {
          var money = range.lowFen === range.highFen ? yuan(range.lowFen) : yuan(range.lowFen) + '–' + yuan(range.highFen);
          return english ? range.grade + ' ' + money + ' yuan' : range.grade + '级' + money + '元';
        });
        box.appendChild(document.createTextNode(english ? '; ' : '；'));
        box.appendChild(node('span', 'whatif-retention', (english ? 'retention ' : '结余留用') + parts.join(english ? ', ' : '，')));
      }
      var details = node('details');
      details.appendChild(node('summary', '', english ? 'Assumptions' : '测算假设'));
      var list = node('ul');
      (english ? item.assumptionsEn : item.assumptions).forEach(function (text) { list.appendChild(node('li', '', text)); });
      details.appendChild(list);
      box.appendChild(details);
    };
    var whatIf = function () {
      if (!form.dataset.whatif) { return; }
      fetch(form.dataset.whatif, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': form.querySelector('input[name=_csrf]').value },
        body: JSON.stringify(draft())
      }).then(function (response) { return response.json(); }).then(function (list) {
        if (!Array.isArray(list)) { return; }
        var byUnit = {};
        list.forEach(function (item) { byUnit[item.unit] = item; });
        document.querySelectorAll('[data-whatif-unit]').forEach(function (box) { fill(box, byUnit[box.dataset.whatifUnit]); });
      }).catch(function () {});
    };

    form.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { check(); whatIf(); }, 400);
    });
  }

  // An import's progress page reloads itself until the job ends.
  if (document.querySelector('[data-job]')) {
    setTimeout(function () { location.reload(); }, 1000);
  }
})();
