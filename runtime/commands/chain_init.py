"""`tabellion chain init`: create a chain directory with its genesis (policy, members,
consensus rules). Part of `tabellion chain`; see runtime/commands/chain.py."""

from __future__ import annotations


__all__ = ["init", "time_text", "work_summary"]


def init(args) -> int:
    import secrets

    from tabellion.lang.types import MoneyT

    from ..chain.arguments import parse_literal
    from ..chain.cli_support import DEV_VALIDATOR, Names, load_signer
    from ..chain.devkeys import DEV_NAMES, dev_name_of
    from ..chain.errors import ChainError
    from ..chain.node import Chain
    from ..chain.transactions import CHAIN_ID, MEMBER_ROLES
    from ..keys import dev_keypair
    from ..numeric import MINOR_DIGITS  # noqa: F401 - the currency table lives there

    chain_id = args.chain_id or ("dev" if args.dev else f"chain-{secrets.token_hex(4)}")
    if not CHAIN_ID.match(chain_id):
        raise ChainError(f"invalid chain id {chain_id!r}: up to 64 letters, digits, '.', '_' or '-'")
    if len(args.currency) != 3 or not args.currency.isalpha() or not args.currency.isupper():
        raise ChainError(f"invalid currency {args.currency!r}: three capital letters")
    policy = _policy(args)
    validator_names = args.validator or ([DEV_VALIDATOR] if args.dev else [])
    if not validator_names:
        raise ChainError("a chain that is not in dev mode needs --validator KEY (a key of the keystore; "
                         "create one with `tabellion keys new NAME`)")
    validators = [load_signer(name, args.dev) for name in validator_names]
    if not args.dev and any(dev_name_of(v.public_key) for v in validators):
        raise ChainError("a development key cannot validate a chain that is not in dev mode")
    validator = validators[0]
    names = Names(args.dev)
    members = [_member(text, names) for text in args.member]
    members += [(v.address, ("validator",)) for v in validators[1:]]
    members += [(names.party(name).name, ("admin",)) for name in args.admin]
    admins = {address for address, roles in members if "admin" in roles}
    validator_roles = ("admin", "validator") if not admins else ("validator",)
    if not args.dev:
        dev_addresses = {dev_keypair(name).address for name in DEV_NAMES}
        if any(address in dev_addresses for address, _ in members):
            raise ChainError("a chain that is not in dev mode refuses development keys as members")
    allocations = []
    for text in args.allocate:
        party, sep, amount = text.partition("=")
        if not sep:
            raise ChainError(f"--allocate takes PARTY=AMOUNT, not {text!r}")
        money = parse_literal(amount, MoneyT(args.currency), lambda n: names.party(n), f"--allocate {party}")
        if money.units <= 0:
            raise ChainError(f"--allocate {party}: the amount must be positive")
        allocations.append((names.party(party.strip()), money))
    bad = {role for _, roles in members for role in roles} - set(MEMBER_ROLES)
    if bad:
        raise ChainError(f"unknown role(s) {', '.join(sorted(bad))}: roles are {', '.join(MEMBER_ROLES)}")
    pow_params = _pow_params(args, policy, names)
    chain = Chain.init(args.directory, validator, dev=args.dev, chain_id=chain_id, policy=policy,
                       members=members, quorum=args.quorum, currency=args.currency, allocations=allocations,
                       validator_name=",".join(args.validator), validator_roles=validator_roles, pow=pow_params)
    with chain:
        if args.miner:
            chain.storage.set_meta("miner", names.party(args.miner).name.encode())
        mode = f"{policy.name}: read {policy.read}, write {policy.write}" + ("; development mode" if args.dev else "")
        print(f"created chain '{chain_id}' in {args.directory} ({mode})")
        print(f"genesis     {chain.head.hash.hex()}")
        for name, keypair in zip(validator_names, validators):
            print(f"validator   {keypair.address} ({name if args.validator else 'dev key validator'})")
        print(f"time        {time_text(chain.head.timestamp)}")
        members = chain.state.membership["members"]
        if len(members) > 1:
            print(f"members     {len(members)} (quorum {args.quorum})")
        if pow_params is not None:
            print(f"consensus   {work_summary(pow_params)}")
    return 0


def _pow_params(args, policy, names):
    """The PowParams `chain init --consensus work` asks for (None for proof of authority)."""
    from tabellion.lang.types import MoneyT

    from ..access import OPEN
    from ..chain.arguments import parse_literal
    from ..chain.errors import ChainError
    from ..consensus.issuance import IssuanceSchedule
    from ..consensus.work import HASH_SPACE, PowParams

    if args.consensus != "work":
        given = [flag for flag, value, default in (
            ("--target-interval", args.target_interval, 60), ("--retarget", args.retarget, 100),
            ("--reward", args.reward, "50"), ("--halving", args.halving, 2_000), ("--cap", args.cap, "180_000"),
            ("--difficulty-bits", args.difficulty_bits, 4), ("--miner", args.miner, None)) if value != default]
        if given:
            raise ChainError(f"only with --consensus work: {', '.join(given)}")
        return None
    if policy.write != OPEN:
        raise ChainError("a proof-of-work chain is public: its write policy must be open (--preset public)")

    def amount(flag, text):
        text = text.strip()
        if not any(c.isalpha() for c in text):
            text = f"{text} {args.currency}"
        money = parse_literal(text, MoneyT(args.currency), names.party, flag)
        if money.units <= 0:
            raise ChainError(f"{flag}: the amount must be positive")
        return money.units

    if not 0 <= args.difficulty_bits <= 255:
        raise ChainError("--difficulty-bits takes 0 to 255")
    try:
        schedule = IssuanceSchedule(amount("--reward", args.reward), args.halving, amount("--cap", args.cap),
                                    args.currency)
        return PowParams(initial_target=HASH_SPACE >> args.difficulty_bits, issuance=schedule,
                         target_interval=args.target_interval, retarget_interval=args.retarget)
    except ValueError as error:
        raise ChainError(f"invalid proof-of-work rules: {error}") from None


def time_text(seconds: int) -> str:
    from ..temporal import Time

    return str(Time(seconds))


def work_summary(params) -> str:
    from ..consensus.work import expected_hashes
    from ..numeric import Money

    issuance = params.issuance
    return (f"proof of work: {params.target_interval} s blocks, retarget every {params.retarget_interval}, "
            f"difficulty {expected_hashes(params.initial_target):_} at genesis; "
            f"reward {Money(issuance.initial_reward, issuance.currency)} halving every {issuance.halving_interval:_} "
            f"blocks, capped at {Money(issuance.cap, issuance.currency)}")


def _policy(args):
    from ..access import MEMBERS, OPEN, Policy
    from ..chain.errors import ChainError

    if args.preset and (args.read or args.write or args.members_only):
        raise ChainError("give either --preset or --read/--write, not both")
    if args.preset:
        return Policy.preset(args.preset)
    write = args.write or (MEMBERS if args.members_only else OPEN)
    return Policy(args.read or OPEN, write)


def _member(text: str, names):
    from ..chain.errors import ChainError

    name, _, roles = text.partition(":")
    roles = tuple(sorted({r.strip() for r in roles.split(",") if r.strip()} or {"writer"}))
    try:
        return names.party(name.strip()).name, roles
    except ChainError:
        raise ChainError(f"--member {text}: '{name}' is neither a key of the keystore nor an address") from None


# -- reading


