//! The terminal app: keyboard-only, usable at 80×24. `app` holds the state and the meaning of
//! each key, `draft` edits answers of every item type, `ui` draws the screens.

pub mod app;
pub mod draft;
pub mod profile_form;
pub mod text;
pub mod ui;

use std::time::Duration;

use certprep_service::Service;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

pub use app::{App, Screen};

/// Runs the app in the terminal until the user quits. With `session`, opens that session.
pub fn run(
    service: Service<'_>,
    runtime: &tokio::runtime::Runtime,
    session: Option<&str>,
) -> std::io::Result<()> {
    let mut app = App::new(service, runtime, Box::new(chrono::Utc::now));
    if let Some(id) = session {
        app.open_id(id);
    }
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App<'_>) -> std::io::Result<()> {
    while !app.quit {
        terminal.draw(|frame| ui::draw(frame, app))?;
        // Wake up at least every quarter second so the clock moves and the deadline is kept.
        if event::poll(Duration::from_millis(250))? {
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => app.on_key(key),
                // After a resize the next draw scrolls the cursor back into view.
                Event::Resize(..) => app.follow.set(true),
                _ => {}
            }
        } else {
            app.tick();
        }
    }
    Ok(())
}
