// Jobs page: while a job is waiting or running, poll the JSON list every two seconds and update
// each row's status and progress in place. When every job has finished, reload once so the
// buttons (cancel, retry, start) match. Without JavaScript the "Check progress" link does this.
const root = document.getElementById("jobs");
const status = document.getElementById("jobs-status");

function progressText(job) {
  if (!job.stage) return "Not started";
  return job.total ? `${job.stage}: ${job.done} of ${job.total} (${job.percent}%)` : job.stage;
}

async function poll() {
  let data;
  try {
    const response = await fetch(root.dataset.jobsUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    data = await response.json();
  } catch {
    status.textContent = "Could not check progress. Use the Check progress link.";
    return;
  }
  let active = false;
  for (const job of data.jobs) {
    const row = root.querySelector(`tr[data-job="${job.id}"]`);
    if (!row) continue;
    row.querySelector('[data-field="progress"]').textContent = progressText(job);
    const cell = row.querySelector('[data-field="status"]');
    if (cell.firstChild && cell.firstChild.nodeType === Node.TEXT_NODE) {
      cell.firstChild.textContent = job.status_display + (job.cancel_requested && job.status === "running" ? " (cancelling)" : "");
    }
    if (job.status === "queued" || job.status === "running") active = true;
  }
  if (active) {
    window.setTimeout(poll, 2000);
  } else {
    status.textContent = "Every job has finished.";
    window.location.reload();
  }
}

if (root && root.dataset.poll === "true") window.setTimeout(poll, 2000);
