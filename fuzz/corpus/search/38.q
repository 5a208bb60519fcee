rail	link
port