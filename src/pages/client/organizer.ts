/**
 * The organizer's pages: the pending-claims queue (approve, or reject with
 * a reason), a new event with a typed or pasted roster, and the org's
 * budget with its pace.
 */
export const ORGANIZER_JS = String.raw`(function () {
  'use strict';
  var J = window.Jifen, t = J.t, byId = J.byId, el = J.el;
  var me = J.guard();
  if (!me) return;
  var orgPath = '/v1/orgs/' + encodeURIComponent(me.org_id);
  var types = {};
  var typesLoaded = J.api('GET', '/v1/activity-types').then(function (result) {
    result.items.forEach(function (type) { types[type.code] = type; });
    return result.items;
  });

  if (byId('queue')) queue();
  if (byId('event-form')) eventForm();
  if (byId('budget')) budget();

  function queue() {
    var list = byId('queue');
    function load() {
      return typesLoaded.then(function () {
        return J.api('GET', '/v1/claims?status=pending&limit=100&org_id=' + encodeURIComponent(me.org_id));
      }).then(function (result) {
        J.fill(list, result.items, item, J.text.queue_empty);
      }).catch(J.fail);
    }
    function item(claim) {
      var li = el('li', { 'data-claim-id': claim.id });
      var reasonId = 'reason-' + claim.id;
      var reason = el('div', { hidden: true }, [
        el('label', { for: reasonId, text: J.text.reject_reason }),
        el('input', { id: reasonId, maxlength: 500, autocomplete: 'off' }),
        el('button', { type: 'button', class: 'secondary', 'data-action': 'reject-confirm', text: J.text.reject_confirm })
      ]);
      var name = J.activityName(types[claim.activity_code]) || claim.activity_code;
      var titleId = 'claim-' + claim.id;
      li.appendChild(el('div', { class: 'line' }, [
        el('strong', { id: titleId, text: name }),
        el('span', { class: 'amount', text: t('points', { n: claim.points }) })
      ]));
      li.appendChild(el('p', { class: 'note', text: [
        t('claim_member', { id: claim.member_id }),
        t('claim_units', { n: claim.units }),
        claim.report_ref ? t('claim_ref', { ref: claim.report_ref }) : '',
        t('claim_when', { date: J.time(claim.occurred_at) })
      ].filter(Boolean).join(' · ') }));
      if (claim.evidence_url && /^https?:/i.test(claim.evidence_url)) {
        li.appendChild(el('p', {}, [el('a', { href: claim.evidence_url, target: '_blank', rel: 'noopener noreferrer', text: J.text.evidence })]));
      }
      // Nobody decides what they submitted (the API refuses it: self_approval), so it is not offered.
      if (claim.submitted_by === me.role + ':' + me.sub) {
        li.appendChild(el('p', { class: 'note', 'data-own-claim': 'true', text: J.text.own_claim_waits }));
        return li;
      }
      var buttons = el('div', { class: 'row' }, [
        el('button', { type: 'button', 'data-action': 'approve', 'aria-describedby': titleId, text: J.text.approve }),
        el('button', { type: 'button', class: 'secondary', 'data-action': 'reject', 'aria-describedby': titleId, text: J.text.reject })
      ]);
      li.appendChild(buttons);
      li.appendChild(reason);
      li.addEventListener('click', function (event) {
        var action = event.target.getAttribute && event.target.getAttribute('data-action');
        if (action === 'approve') decide(li, claim, 'approve', {});
        if (action === 'reject') { reason.hidden = false; byId(reasonId).focus(); }
        if (action === 'reject-confirm') {
          var why = byId(reasonId).value.trim();
          if (why.length < 3) { J.fail(J.text.err_validation_failed); byId(reasonId).focus(); return; }
          decide(li, claim, 'reject', { reason: why });
        }
      });
      return li;
    }
    function decide(li, claim, action, body) {
      Array.prototype.forEach.call(li.querySelectorAll('button'), function (b) { b.disabled = true; });
      J.api('POST', '/v1/claims/' + encodeURIComponent(claim.id) + '/' + action, body).then(function (after) {
        if (after.status === 'approved') J.say(t('approved_ok', { n: after.points_credited }));
        else if (after.status === 'rejected') J.say(J.text.rejected_ok);
        else J.say(J.text.approved_pending);
        var next = li.nextElementSibling;
        li.remove();
        if (!list.children.length) J.fill(list, [], item, J.text.queue_empty);
        var focus = next && next.querySelector('button');
        if (focus) focus.focus();
      }).catch(function (error) {
        Array.prototype.forEach.call(li.querySelectorAll('button'), function (b) { b.disabled = false; });
        J.fail(error);
      });
    }
    byId('refresh').addEventListener('click', function () { J.say(''); load(); });
    load();
  }

  // One participant a line: a member number, then hours where the activity counts hours.
  function parseRoster(textValue) {
    var roster = [], lines = [], bad = [];
    textValue.split(/\r?\n/).forEach(function (line, i) {
      var words = line.trim().split(/[\s,，;；]+/).filter(Boolean);
      if (!words.length) return;
      var ok = /^[A-Za-z0-9_:.-]{1,200}$/.test(words[0]) && words.length <= 2 && (words.length === 1 || /^\d+(\.\d{1,2})?$/.test(words[1]));
      if (!ok) { bad.push(t('roster_bad_line', { n: i + 1, text: line.trim() })); return; }
      var entry = { member_id: words[0] };
      if (words[1]) entry.units = words[1];
      roster.push(entry);
      lines.push(i + 1);
    });
    return { roster: roster, lines: lines, bad: bad };
  }

  function eventForm() {
    var form = byId('event-form'), orgSelect = byId('org'), activity = byId('activity'), roster = byId('roster');
    byId('starts').value = J.localInput(new Date());
    J.api('GET', orgPath).then(function (org) {
      orgSelect.appendChild(el('option', { value: org.id, text: t('org_self', { name: org.name }) }));
      org.children.forEach(function (child) { orgSelect.appendChild(el('option', { value: child.id, text: child.name })); });
    }).catch(J.fail);
    typesLoaded.then(function (items) {
      items.filter(function (type) { return type.unit !== 'report'; }).forEach(function (type) {
        activity.appendChild(el('option', { value: type.code, text: J.activityName(type) }));
      });
    }).catch(J.fail);
    roster.addEventListener('input', function () {
      var parsed = parseRoster(roster.value);
      byId('roster-count').textContent = t('roster_count', { n: parsed.roster.length });
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var parsed = parseRoster(roster.value);
      if (parsed.bad.length) return J.fail(parsed.bad.join(' '));
      if (!parsed.roster.length) { J.fail(J.text.roster_empty); roster.focus(); return; }
      var title = byId('title').value.trim();
      if (!title) { J.fail(J.text.err_validation_failed); byId('title').focus(); return; }
      var body = { org_id: orgSelect.value, activity_code: activity.value, title: title, starts_at: new Date(byId('starts').value || Date.now()).toISOString(), roster: parsed.roster };
      var place = byId('location').value.trim();
      if (place) body.location = place;
      J.busy(form, J.api('POST', '/v1/events', body)).then(function (result) {
        var credited = result.claims.filter(function (c) { return c.status === 'approved'; });
        var waiting = result.claims.filter(function (c) { return c.status === 'pending'; });
        var sum = function (list, field) { return J.points(list.reduce(function (s, c) { return s + J.hundredths(c[field] || '0'); }, 0)); };
        J.say(t('event_recorded', { title: result.event.title, n: result.claims.length }));
        J.pairs(byId('event-result'), [
          [J.text.event_credited, t('event_people_points', { n: credited.length, points: sum(credited, 'points_credited') })],
          [J.text.event_waiting, t('event_people_points', { n: waiting.length, points: sum(waiting, 'points') })]
        ]);
        byId('event-result').hidden = false;
        form.reset();
        byId('starts').value = J.localInput(new Date());
        byId('roster-count').textContent = '';
      }).catch(function (error) {
        // A refused participant is named by its line, in plain words.
        var lines = (error.errors || []).map(function (e) {
          var index = /(\d+)$/.exec(e.path || '');
          var code = /^([a-z_]+):/.exec(e.message || '');
          if (!index || !code) return null;
          var n = Number(index[1]);
          var reason = J.text['err_' + code[1]] || error.message;
          return t('event_line_refused', { n: parsed.lines[n] || n + 1, member: (parsed.roster[n] || {}).member_id || '', reason: reason });
        }).filter(Boolean);
        J.fail(lines.length ? { message: lines.join(' ') } : error);
      });
    });
  }

  function budget() {
    J.api('GET', orgPath).then(function (org) {
      byId('budget-org').textContent = org.name;
      return J.api('GET', orgPath + '/budget');
    }).then(function (b) {
      var allocated = J.hundredths(b.allocated), remaining = J.hundredths(b.remaining);
      var meter = byId('budget-meter');
      meter.value = allocated > 0 ? Math.max(0, Math.min(1, 1 - remaining / allocated)) : 0;
      meter.textContent = Math.round(meter.value * 100) + '%';
      if (allocated === 0) byId('budget-org').textContent = t('budget_none_own', { name: byId('budget-org').textContent });
      J.pairs(byId('budget'), [
        [J.text.b_allocated, t('points', { n: b.allocated })],
        [J.text.b_credited, t('points', { n: b.credited })],
        [J.text.b_revoked, t('points', { n: b.revoked })],
        [J.text.b_remaining, t('points', { n: b.remaining })]
      ]);
      byId('budget').setAttribute('data-remaining', b.remaining);
      byId('pace').textContent = b.pace.days_left === null
        ? t('pace_idle', { days: b.pace.window_days })
        : t('pace_days', { days: b.pace.window_days, per_day: b.pace.per_day, left: b.pace.days_left });
    }).catch(J.fail);
  }
})();
`;
