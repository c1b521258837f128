//! Work on every core with results taken in order: a long import reads and checks pieces of
//! its file in parallel, but gives ids and writes items in file order.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;

/// Runs `work` on each of `jobs` on as many threads as there are cores and hands each result
/// to `take` in the order of `jobs` as soon as it and those before it are done. The threads
/// take jobs from `jobs` one at a time (a job may be read from a file as it is taken). The
/// calling thread is one of them: when no result is ready for `take`, it does a job itself
/// rather than wait, so that no core idles while it takes results (on two cores, waiting left
/// one idle for a fifth of a large import). Stops at the first error of `take` (the threads
/// stop after their current job).
pub(crate) fn map_in_order<J: Send, T: Send, E>(
    jobs: impl Iterator<Item = J> + Send,
    work: impl Fn(J) -> T + Sync,
    mut take: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 {
        return jobs.map(work).try_for_each(take);
    }
    let jobs = Mutex::new(jobs.enumerate());
    let next_job = || match jobs.lock() {
        Ok(mut jobs) => jobs.next(),
        Err(_) => None,
    };
    std::thread::scope(|scope| {
        // A bounded channel: threads wait rather than pile up results the taker has not had.
        let (tx, rx) = sync_channel::<(usize, T)>(threads);
        for _ in 1..threads {
            let (tx, next_job, work) = (tx.clone(), &next_job, &work);
            scope.spawn(move || {
                while let Some((i, job)) = next_job() {
                    if tx.send((i, work(job))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        let mut jobs_left = true;
        loop {
            while let Some(result) = waiting.remove(&expected) {
                take(result)?;
                expected += 1;
            }
            let mut received = false;
            while let Ok((i, result)) = rx.try_recv() {
                waiting.insert(i, result);
                received = true;
            }
            if received {
                continue;
            }
            // Nothing to take yet: a job done here rather than a wait.
            if jobs_left {
                match next_job() {
                    Some((i, job)) => {
                        waiting.insert(i, work(job));
                        continue;
                    }
                    None => jobs_left = false,
                }
            }
            match rx.recv() {
                Ok((i, result)) => {
                    waiting.insert(i, result);
                }
                // Every thread is done, and every job taken.
                Err(_) => {
                    while let Some(result) = waiting.remove(&expected) {
                        take(result)?;
                        expected += 1;
                    }
                    return Ok(());
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_order_they_finish_in() {
        let mut seen = Vec::new();
        let r: Result<(), ()> = map_in_order(
            0..50,
            |i| {
                // Early jobs take longest, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros(((50 - i) * 20) as u64));
                i * 2
            },
            |x| {
                seen.push(x);
                Ok(())
            },
        );
        assert_eq!(r, Ok(()));
        assert_eq!(seen, (0..50).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let mut taken = 0;
        let r = map_in_order(
            0..1000,
            |i| i,
            |i| {
                taken += 1;
                if i == 3 {
                    Err(format!("stopped at {i}"))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("stopped at 3".to_string()));
        assert_eq!(taken, 4);
    }
}
