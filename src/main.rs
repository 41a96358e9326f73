//! The `callsim` command. All the work is in the library's command line; this only sets the
//! exit code: 0 success, 1 a missed target (`check`), 2 bad input.

fn main() {
    std::process::exit(callsim::command_line(std::env::args_os()));
}
