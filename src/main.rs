fn main() {
    std::process::exit(portal_admin::cli::main());
}
